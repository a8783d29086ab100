//! Analyses: one algorithm per file, plain functions over model types and indexes, no I/O,
//! no printing.

// Floating catchment accessibility (2SFCA, E2SFCA, Gaussian, gravity) of points to facilities.
pub mod access;
// The facilities in reach of a point, bucketed, in the R-tree's order.
pub mod access_reach;
// `qpv access`: supply and demand from facilities and grid, scores, means per QPV vs the rest.
pub mod access_report;
// The grid held compact for `qpv access` (centres, demand, ids), read cell by cell.
pub mod access_cells;
// Chunked, parallel, order-preserving batch driver for streams of points.
pub mod batch;
// Exact area of a polygon inside many small convex cells, by hierarchical clipping.
pub mod cell_clip;
// Building candidate perimeters without drawing: unions of QPV, communes, grid cells, buffers.
pub mod candidate;
// `qpv perimeter build`: a candidate from a recipe of QPV, communes, grid cells and a buffer.
pub mod candidate_recipe;
// Facility coverage of zones: counts inside and within D, nearest, covered area and population.
pub mod coverage;
// The map of a coverage run: facility positions against the QPV, QPV grown by each distance.
pub mod coverage_map;
// An income proxy calibrated on the official QPV of the territory (lowest poor-household share).
pub mod calibration;
// The embedded default facility set: schools, France Services and geocoded social centres.
pub mod default_facilities;
// The decree's criteria (population, low-income threshold S) and the proxies Filosofi allows.
pub mod eligibility;
// Restricting grid cells to the cells whose centre lies in some zones (e.g. the communes).
pub mod grid_extent;
// Areal interpolation of the 200 m Filosofi grid: the one routine for every polygon estimate.
pub mod interpolate;
// Point location among zones: containing zone, signed distance, inside/near/outside.
pub mod locate;
// Postal addresses to QPV status: geocoding then location, with checks near boundaries.
pub mod locate_addresses;
// k nearest facilities of points.
pub mod nearest;
// Testing and comparing candidate perimeters against the current QPV geography.
pub mod perimeter;
// Snapping candidate vertices onto the QPV boundaries before an overlay (GeoJSON rounding).
pub mod snap;
// Siting new facilities: maximal covering (MCLP) and set covering (LSCP) on the grid.
pub mod site;
// Areal interpolation of the grid onto many zones (`qpv interpolate`), national grids streamed.
pub mod zone_population;
// Delineating priority zones from the grid the way the decree's method works.
pub mod simulate;
