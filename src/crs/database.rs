//! What PROJ's EPSG database says of a code: name, kind, unit and area of use. Read through
//! PROJ's C API (the `proj` crate does not expose these), so that describing a CRS does not
//! need GDAL: GDAL's own `OSRGetName`, `OSRIsProjected`, `OSRGetLinearUnits` and
//! `OSRGetAreaOfUse` read the same database through the same calls, and a test compares the
//! two field for field.

use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::ptr;

use geo::{Coord, Rect};
use proj_sys as ffi;

use super::Crs;
use crate::error::Result;

unsafe extern "C" {
    /// PROJ (6 and later) public API, which the generated bindings of `proj-sys` leave out:
    /// the CRS with a transformation to WGS84 attached (a "bound" CRS).
    fn proj_crs_create_bound_crs_to_WGS84(
        ctx: *mut ffi::PJ_CONTEXT,
        crs: *const ffi::PJ,
        options: *const *const c_char,
    ) -> *mut ffi::PJ;
}

/// A PROJ context, destroyed on drop (one per lookup: a context must not be shared between
/// threads).
struct Context(*mut ffi::PJ_CONTEXT);

impl Drop for Context {
    fn drop(&mut self) {
        // SAFETY: the pointer came from proj_context_create and is destroyed once, after
        // every object made with it (they are dropped first: see `describe`).
        unsafe {
            ffi::proj_context_destroy(self.0);
        }
    }
}

/// A PROJ object (CRS or coordinate system), destroyed on drop.
struct Object(*mut ffi::PJ);

impl Drop for Object {
    fn drop(&mut self) {
        // SAFETY: the pointer is non-null (checked by `Object::new`) and owned by this value.
        unsafe {
            ffi::proj_destroy(self.0);
        }
    }
}

impl Object {
    fn new(p: *mut ffi::PJ) -> Option<Object> {
        (!p.is_null()).then_some(Object(p))
    }

    fn kind(&self) -> ffi::PJ_TYPE {
        // SAFETY: a live object.
        unsafe { ffi::proj_get_type(self.0) }
    }
}

/// The text of a C string PROJ owns (empty when null).
fn text(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: PROJ returns NUL-terminated strings that live as long as the object they came
    // from, which outlives this copy.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// A CRS of the EPSG database with the context it was made in (fields drop in order: the
/// object before its context).
struct DatabaseCrs {
    object: Object,
    ctx: Context,
}

impl DatabaseCrs {
    /// `crs` from the EPSG database; `None` when the code is not a CRS there.
    fn open(crs: Crs) -> Result<Option<DatabaseCrs>> {
        // SAFETY: no argument; the context is destroyed by its wrapper.
        let ctx = Context(unsafe { ffi::proj_context_create() });
        if ctx.0.is_null() {
            return Err(crate::error::Error::Internal(
                "the coordinate system library could not start".into(),
            ));
        }
        // An unknown code is this crate's error to report, not a line of PROJ's on stderr.
        // SAFETY: live context.
        unsafe {
            ffi::proj_log_level(ctx.0, ffi::PJ_LOG_LEVEL_PJ_LOG_NONE);
        }
        let auth = CString::new("EPSG").expect("no NUL");
        let code = CString::new(crs.code().to_string()).expect("digits");
        // SAFETY: live context, NUL-terminated strings that outlive the call, no options.
        let object = Object::new(unsafe {
            ffi::proj_create_from_database(
                ctx.0,
                auth.as_ptr(),
                code.as_ptr(),
                ffi::PJ_CATEGORY_PJ_CATEGORY_CRS,
                0,
                ptr::null(),
            )
        });
        Ok(object.map(|object| DatabaseCrs { object, ctx }))
    }
}

/// Describes `crs` from the EPSG database; `None` when the code is not a CRS there.
pub(super) fn describe(crs: Crs) -> Result<Option<CrsInfo>> {
    let Some(db) = DatabaseCrs::open(crs)? else {
        return Ok(None);
    };
    let (ctx, object) = (&db.ctx, &db.object);
    // SAFETY: a live object.
    let name = text(unsafe { ffi::proj_get_name(object.0) });
    let area = area_of_use(ctx, object);
    // The horizontal part decides the kind, as for GDAL: the source of a bound CRS, the first
    // component of a compound one.
    // SAFETY (both calls): live context and object; the result is destroyed by its wrapper.
    let horizontal = match object.kind() {
        ffi::PJ_TYPE_PJ_TYPE_BOUND_CRS => {
            Object::new(unsafe { ffi::proj_get_source_crs(ctx.0, object.0) })
        }
        ffi::PJ_TYPE_PJ_TYPE_COMPOUND_CRS => {
            Object::new(unsafe { ffi::proj_crs_get_sub_crs(ctx.0, object.0, 0) })
        }
        _ => None,
    };
    let horizontal = horizontal.as_ref().unwrap_or(object);
    let kind = horizontal.kind();
    let geographic = matches!(
        kind,
        ffi::PJ_TYPE_PJ_TYPE_GEOGRAPHIC_2D_CRS | ffi::PJ_TYPE_PJ_TYPE_GEOGRAPHIC_3D_CRS
    );
    let projected = kind == ffi::PJ_TYPE_PJ_TYPE_PROJECTED_CRS;
    let geocentric = kind == ffi::PJ_TYPE_PJ_TYPE_GEOCENTRIC_CRS;
    let metres_per_unit = if projected {
        first_axis_unit(ctx, horizontal)
    } else {
        0.0
    };
    Ok(Some(CrsInfo {
        crs,
        name,
        geographic,
        geocentric,
        projected,
        metres_per_unit,
        area_of_use_wgs84: area,
    }))
}

/// The CRS as WKT 1 (GDAL's flavour, one line) and as a PROJ.4 string, as QGIS projects store
/// it; `None` when the code is not a CRS of the EPSG database.
///
/// ```
/// use qpv::crs::{Crs, wkt_and_proj4};
/// let (wkt, proj4) = wkt_and_proj4(Crs::LAMBERT93).unwrap().unwrap();
/// assert!(wkt.starts_with("PROJCS[\"RGF93 v1 / Lambert-93\""));
/// assert!(proj4.starts_with("+proj=lcc"));
/// ```
pub fn wkt_and_proj4(crs: Crs) -> Result<Option<(String, String)>> {
    let Some(db) = DatabaseCrs::open(crs)? else {
        return Ok(None);
    };
    // GDAL's options for WKT 1: one line, and the axes always written (PROJ leaves out the
    // northing-first axes of LAEA Europe otherwise).
    let one_line = CString::new("MULTILINE=NO").expect("no NUL");
    let axes = CString::new("OUTPUT_AXIS=YES").expect("no NUL");
    let options = [one_line.as_ptr(), axes.as_ptr(), ptr::null()];
    // SAFETY: live context and object; a null-terminated option list of live strings. The
    // returned strings live as long as the object and are copied before it is dropped.
    let wkt = text(unsafe {
        ffi::proj_as_wkt(
            db.ctx.0,
            db.object.0,
            ffi::PJ_WKT_TYPE_PJ_WKT1_GDAL,
            options.as_ptr(),
        )
    });
    // As GDAL's `exportToProj4`: the CRS bound to WGS84 (so that the string carries its
    // `+towgs84`), without PROJ's `+type=crs`.
    // SAFETY: live context and object, no options; the result is destroyed by its wrapper.
    let bound = Object::new(unsafe {
        proj_crs_create_bound_crs_to_WGS84(db.ctx.0, db.object.0, ptr::null())
    });
    let source = bound.as_ref().unwrap_or(&db.object);
    // SAFETY: as above, no options; `source` lives until the copy is made.
    let proj4 = text(unsafe {
        ffi::proj_as_proj_string(
            db.ctx.0,
            source.0,
            ffi::PJ_PROJ_STRING_TYPE_PJ_PROJ_4,
            ptr::null(),
        )
    });
    let proj4 = proj4
        .strip_suffix(" +type=crs")
        .unwrap_or(&proj4)
        .to_string();
    Ok(Some((wkt, proj4)))
}

/// The area of use in WGS84 degrees, when the database gives one.
fn area_of_use(ctx: &Context, object: &Object) -> Option<Rect<f64>> {
    let (mut west, mut south, mut east, mut north) = (0.0, 0.0, 0.0, 0.0);
    let mut name: *const c_char = ptr::null();
    // SAFETY: live context and object; the out-pointers point at locals.
    let ok = unsafe {
        ffi::proj_get_area_of_use(
            ctx.0, object.0, &mut west, &mut south, &mut east, &mut north, &mut name,
        )
    };
    // PROJ writes -1000 when a bound is unknown.
    (ok != 0 && west > -1000.0)
        .then(|| Rect::new(Coord { x: west, y: south }, Coord { x: east, y: north }))
}

/// Metres per unit of the first axis of a CRS's coordinate system (1.0 for metres).
fn first_axis_unit(ctx: &Context, crs: &Object) -> f64 {
    // SAFETY: live context and CRS; the coordinate system is destroyed by its wrapper.
    let Some(cs) = Object::new(unsafe { ffi::proj_crs_get_coordinate_system(ctx.0, crs.0) }) else {
        return 0.0;
    };
    let mut factor = 0.0;
    // SAFETY: live context and coordinate system; unwanted outputs are null.
    let ok = unsafe {
        ffi::proj_cs_get_axis_info(
            ctx.0,
            cs.0,
            0,
            ptr::null_mut(),
            ptr::null_mut(),
            ptr::null_mut(),
            &mut factor,
            ptr::null_mut(),
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    if ok != 0 { factor } else { 0.0 }
}

/// What PROJ's database says about a CRS.
#[derive(Debug, Clone, PartialEq)]
pub struct CrsInfo {
    /// The CRS.
    pub crs: Crs,
    /// Its name, e.g. "RGF93 v1 / Lambert-93".
    pub name: String,
    /// True for longitude/latitude CRSs (degrees), false for projected ones (metres).
    pub geographic: bool,
    /// True for Earth-centred x, y, z CRSs (EPSG:4978).
    pub geocentric: bool,
    /// True for projected CRSs (map coordinates).
    pub projected: bool,
    /// Metres per unit of a projected CRS's coordinates (1.0 for metres; 0.0 otherwise).
    pub metres_per_unit: f64,
    /// Where the CRS may be used, in WGS84 degrees.
    pub area_of_use_wgs84: Option<Rect<f64>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What GDAL reports for `code` (the oracle: it reads the same database its own way).
    fn gdal_info(code: u32) -> Option<CrsInfo> {
        crate::io::gdal_source::quiet_gdal();
        let srs = gdal::spatial_ref::SpatialRef::from_epsg(code).ok()?;
        let area = srs.area_of_use().map(|a| {
            Rect::new(
                Coord {
                    x: a.west_lon_degree,
                    y: a.south_lat_degree,
                },
                Coord {
                    x: a.east_lon_degree,
                    y: a.north_lat_degree,
                },
            )
        });
        Some(CrsInfo {
            crs: Crs::epsg(code),
            name: srs.name().unwrap_or_default(),
            geographic: srs.is_geographic(),
            geocentric: srs.is_geocentric(),
            projected: srs.is_projected(),
            metres_per_unit: if srs.is_projected() {
                srs.linear_units()
            } else {
                0.0
            },
            area_of_use_wgs84: area,
        })
    }

    /// Field for field what GDAL says, on geographic, projected (metres and US feet),
    /// geocentric, compound and non-CRS codes.
    #[test]
    fn describes_as_gdal_does() {
        for code in [
            4326, 4171, 4979, 2154, 3035, 2975, 27572, 32631, 3857, 5490, 4978, 5698, 2249, 7019,
            6326, 99999999,
        ] {
            let ours = describe(Crs::epsg(code)).unwrap();
            assert_eq!(ours, gdal_info(code), "EPSG:{code}");
        }
        let feet = describe(Crs::epsg(2249)).unwrap().unwrap();
        assert!((feet.metres_per_unit - 0.3048006096012192).abs() < 1e-15);
        let compound = describe(Crs::epsg(5698)).unwrap().unwrap();
        assert!(compound.projected && compound.metres_per_unit == 1.0);
    }

    /// The WKT and PROJ.4 strings are GDAL's `to_wkt` and `to_proj4`, byte for byte.
    #[test]
    fn wkt_and_proj4_are_gdal_s() {
        for code in [2154, 3035, 4326, 2975, 32631, 27572, 3857] {
            let srs = gdal::spatial_ref::SpatialRef::from_epsg(code).unwrap();
            let gdal = (srs.to_wkt().unwrap(), srs.to_proj4().unwrap());
            assert_eq!(
                wkt_and_proj4(Crs::epsg(code)).unwrap(),
                Some(gdal),
                "EPSG:{code}"
            );
        }
        assert_eq!(wkt_and_proj4(Crs::epsg(7019)).unwrap(), None);
    }
}
