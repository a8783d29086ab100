//! The OÏKOS social centres of Belfort that have a postal address, geocoded on the embedded
//! BANO. Only two of the seven centres have an address (one of them weakly sourced), and BANO
//! 2015 has neither house number: they come out `interpolated` or `street`, marked as such.
//! Centres without an address are left out rather than given an invented position.

use std::path::Path;

use geo::Point;

use super::index::AddressIndex;
use super::matcher::{AddressQuery, Precision};
use super::normalize::fold;
use crate::crs::Crs;
use crate::error::Result;
use crate::io::table::{TableOptions, TableReader};
use crate::model::{AttrValue, Attributes, Category, Facility};

/// The embedded list (names from the 2022 evaluation report; addresses with their sources).
const SOCIAL_CENTRES: &[u8] = include_bytes!("../../geodata/social_centres.csv");

/// The social centres whose address geocodes on the embedded BANO, in `target`.
///
/// Each facility has id `social_centre:<slug of the name>`, category `social_centre`, and the
/// attributes of the list (operator, commune, address, address_source, address_reliability,
/// note) followed by `geocoding_precision`, `geocoding_score`, `geocoding_matched` and
/// `geocoding_source` (BANO attribution).
///
/// ```
/// use qpv::crs::Crs;
/// let centres = qpv::geocode::embedded_social_centres(Crs::LAMBERT93).unwrap();
/// assert_eq!(centres.len(), 2);
/// ```
pub fn embedded_social_centres(target: Crs) -> Result<Vec<Facility>> {
    let index = AddressIndex::embedded(target)?;
    social_centres_with(&index)
}

/// [`embedded_social_centres`] with an index already built.
pub fn social_centres_with(index: &AddressIndex) -> Result<Vec<Facility>> {
    let name = Path::new("<embedded:social_centres.csv>");
    let reader = TableReader::from_bytes(name, SOCIAL_CENTRES.to_vec(), &TableOptions::default())?;
    let name_col = reader.require_column("name", "the centre's name")?;
    let address_col = reader.require_column("address", "the centre's address")?;
    let headers = reader.headers().to_vec();
    let mut out = Vec::new();
    for row in reader {
        let row = row?;
        let address = row.fields.get(address_col).unwrap_or_default().trim();
        if address.is_empty() {
            continue;
        }
        let g = index.geocode(&AddressQuery::text(address));
        let (Some(p), true) = (g.point, g.precision != Precision::NotFound) else {
            continue;
        };
        let centre = row.fields.get(name_col).unwrap_or_default().to_string();
        let mut attributes = Attributes::default();
        for (i, h) in headers.iter().enumerate() {
            if i == name_col {
                continue;
            }
            let v = row.fields.get(i).unwrap_or_default();
            attributes.set(
                h.clone(),
                if v.is_empty() {
                    AttrValue::Null
                } else {
                    AttrValue::Text(v.to_string())
                },
            );
        }
        attributes.set(
            "geocoding_precision",
            AttrValue::Text(g.precision.as_str().into()),
        );
        attributes.set("geocoding_score", AttrValue::Float(g.score));
        attributes.set("geocoding_matched", AttrValue::Text(g.label.clone()));
        attributes.set(
            "geocoding_source",
            AttrValue::Text(index.attribution().to_string()),
        );
        out.push(Facility {
            id: format!("social_centre:{}", fold(&centre).replace(' ', "-")),
            name: centre,
            category: Category::new(Category::SOCIAL_CENTRE),
            point: Point::from(p),
            attributes,
        });
    }
    Ok(out)
}
