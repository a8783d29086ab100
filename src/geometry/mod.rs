//! Geometric helpers shared by readers, analyses and writers, one concern per file: areas at a
//! local origin, overlay, buffers, edge R-trees, coordinate mapping, validity. Pure functions on
//! `geo` types, below every other layer but `error`.

// Areas at a local origin (exact at Lambert-93 magnitudes), and the shift there and back.
pub mod area;
// Bounding boxes of several boxes or points, widened boxes.
pub mod bounds;
// Buffers (grow or shrink by metres, rounded corners).
pub mod buffer;
// Clipping a ring by half-planes (Sutherland–Hodgman), for areas inside convex regions.
pub mod convex_clip;
// Area of a polygon within D of points (union of discs) without building the union.
pub mod disc_cover;
// Edge R-trees: which rectangles a polygon boundary may cross.
pub mod edges;
mod map_coords;
// Union, difference, intersection at a local origin, canonical part order.
pub mod overlay;
pub mod validity;

pub use map_coords::try_map_coords;
