//! Offline address geocoding against the national address references (BANO, BAN).
//!
//! Lists of postal addresses (beneficiaries, project sites) become points in the working CRS,
//! each with a `precision` (`housenumber`, `interpolated`, `street`, `not_found`) and a score,
//! without any web service: [`AddressIndex`] holds the reference (the embedded BANO of the
//! Territoire de Belfort by default, or any BANO/BAN file), [`AddressIndex::geocode`] matches one
//! address, [`batch`] runs a whole table.
//!
//! BANO data: "source: BANO", © les contributeurs d'OpenStreetMap sous licence ODbL; results
//! derived from it stay under ODbL ([`BANO_ATTRIBUTION`]).
//!
//! ```
//! use qpv::crs::Crs;
//! use qpv::geocode::{AddressIndex, AddressQuery, Precision};
//! let index = AddressIndex::embedded(Crs::LAMBERT93).unwrap();
//! let g = index.geocode(&AddressQuery::text("4 rue de Madrid 90000 Belfort"));
//! // BANO has 2, 2A, 6 and 8 but not 4: placed between 2 and 6.
//! assert_eq!(g.precision, Precision::Interpolated);
//! ```

pub mod batch;
pub mod columns;
pub mod complements;
pub mod index;
pub mod interpolate;
pub mod matcher;
pub mod normalize;
pub mod reference;
mod social_centres;

pub use batch::{AddressColumns, AddressRows, GeocodedRow, GeocodedRows};
pub use index::{AddressIndex, AddressPoint, BANO_ATTRIBUTION, Commune, Street};
pub use matcher::{AddressQuery, Geocoded, Precision};
pub use reference::ReferenceFormat;
pub use social_centres::{
    SocialCentres, UnplacedCentre, embedded_social_centres, social_centres_report,
    social_centres_with,
};
