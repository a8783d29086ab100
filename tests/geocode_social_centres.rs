//! The OÏKOS social centres: only the two with a postal address are returned, and BANO 2015 has
//! neither house number, so both are honestly approximate.

use geo::Coord;
use qpv::crs::{Crs, Reprojector};
use qpv::geocode::embedded_social_centres;
use qpv::model::{AttrValue, Category};

/// BANO rows of one street of Belfort: (number as written, Lambert-93 position), in file order.
fn street(voie: &str) -> Vec<(String, Coord<f64>)> {
    let r = Reprojector::new(Crs::WGS84, Crs::LAMBERT93).unwrap();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/bano-90.csv"))
        .unwrap();
    text.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[2] == voie && f[4] == "Belfort")
        .map(|f| {
            let c = Coord {
                x: f[7].parse().unwrap(),
                y: f[6].parse().unwrap(),
            };
            (f[1].to_string(), r.coord(c).unwrap())
        })
        .collect()
}

fn at(points: &[(String, Coord<f64>)], numero: &str) -> Coord<f64> {
    points.iter().find(|(n, _)| n == numero).unwrap().1
}

#[test]
fn only_centres_with_an_address_are_placed_and_marked_approximate() {
    let centres = embedded_social_centres(Crs::LAMBERT93).unwrap();
    assert_eq!(centres.len(), 2);
    let ids: Vec<&str> = centres.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "social_centre:centre-culturel-et-social-de-la-pepiniere-michel-legrand",
            "social_centre:centre-culturel-et-social-des-residences-bellevue",
        ]
    );
    for c in &centres {
        assert_eq!(c.category, Category::new(Category::SOCIAL_CENTRE));
    }

    // 13 rue Danton: BANO has the odd numbers 1–11 only, so 13 has no upper odd neighbour and is
    // not extrapolated: the street's median address point (8 of 1,3,4,5,6,7,8,9,10,11,12,14,16).
    let danton = street("Rue Danton");
    assert_eq!(danton.len(), 13);
    let pepiniere = &centres[0];
    assert_eq!(
        pepiniere.attributes.get("geocoding_precision"),
        Some(&AttrValue::Text("street".into()))
    );
    assert_eq!(pepiniere.point.0, at(&danton, "8"));
    assert_eq!(
        pepiniere.attributes.get("address"),
        Some(&AttrValue::Text("13 rue Danton, 90000 Belfort".into()))
    );
    assert_eq!(
        pepiniere.attributes.get("address_reliability"),
        Some(&AttrValue::Text("good".into()))
    );

    // 4 rue de Madrid: halfway between 2 and 6 (the even side; 2A is an indexed variant).
    let madrid = street("Rue de Madrid");
    let bellevue = &centres[1];
    assert_eq!(
        bellevue.attributes.get("geocoding_precision"),
        Some(&AttrValue::Text("interpolated".into()))
    );
    let (a, b) = (at(&madrid, "2"), at(&madrid, "6"));
    let p = bellevue.point.0;
    assert!((p.x - (a.x + b.x) / 2.0).abs() < 1e-6, "{p:?}");
    assert!((p.y - (a.y + b.y) / 2.0).abs() < 1e-6, "{p:?}");
    assert_eq!(
        bellevue.attributes.get("address_reliability"),
        Some(&AttrValue::Text("weak".into()))
    );
    assert_eq!(
        bellevue.attributes.get("geocoding_score"),
        Some(&AttrValue::Float(1.0))
    );
    assert!(
        bellevue
            .attributes
            .text("geocoding_source")
            .contains("ODbL")
    );
}
