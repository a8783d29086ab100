//! The default facility set of the embedded territory: schools and France Services from the
//! embedded layers, plus the social centres of the embedded list placed by the geocoder. It sits
//! above `io` and `geocode` because it needs both.

use crate::crs::Crs;
use crate::error::Result;
use crate::geocode::{AddressIndex, UnplacedCentre, social_centres_report};
use crate::io::embedded;
use crate::model::Facility;

/// The default facility set: the embedded schools ([`facilities`](embedded::facilities)), the France Services sites
/// ([`france_services`](embedded::france_services)) and the social centres of the embedded list that geocode on the
/// embedded BANO (category `social_centre`, attribute `geocoding_precision` = `street` or
/// `interpolated`: approximate positions); sorted by category then id. The centres without a known position are returned beside, so
/// that reports can say they are not counted.
///
/// ```
/// use qpv::crs::Crs;
/// let set = qpv::analysis::default_facilities::facilities_with_social_centres(Crs::LAMBERT93).unwrap();
/// assert_eq!(set.facilities.len(), 164 + 4 + 2);
/// assert_eq!(set.unplaced_social_centres.len(), 5);
/// ```
pub fn facilities_with_social_centres(target: Crs) -> Result<DefaultFacilities> {
    let mut facilities = embedded::facilities(target)?;
    facilities.extend(embedded::france_services(target)?);
    let index = AddressIndex::embedded(target)?;
    let centres = social_centres_report(&index)?;
    facilities.extend(centres.placed);
    facilities.sort_by(|a, b| a.category.cmp(&b.category).then_with(|| a.id.cmp(&b.id)));
    Ok(DefaultFacilities {
        facilities,
        unplaced_social_centres: centres.unplaced,
    })
}

/// The default facility set and what it had to leave out.
#[derive(Debug, Clone)]
pub struct DefaultFacilities {
    /// Schools, France Services and placed social centres, sorted by category then id.
    pub facilities: Vec<Facility>,
    /// Social centres of the list with no known position (not counted anywhere).
    pub unplaced_social_centres: Vec<UnplacedCentre>,
}
