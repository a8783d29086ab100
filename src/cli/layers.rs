//! Where each layer comes from: the embedded Grand Belfort data unless a file replaces it.
//! Every command takes its layer options from here, so that `--qpv`, `--grid` and
//! `--facilities` mean the same thing, with the same defaults, everywhere.

use std::path::PathBuf;

use clap::Args;

use qpv::analysis::grid_extent::restrict_to_zones;
use qpv::crs::Crs;
use qpv::geocode::UnplacedCentre;
use qpv::index::ZoneIndex;
use qpv::io::embedded::GridYear;
use qpv::io::facilities::{CategorySource, FacilityFields, read_facilities};
use qpv::io::grid::vintage_in_name;
use qpv::io::zones::{ZoneFields, read_zones};
use qpv::model::{Category, Facility, GridCell, GridSource, Zone};

/// Where the zones come from.
#[derive(Debug, Args)]
pub struct ZoneInput {
    /// QPV perimeters (GeoJSON, GeoPackage, Shapefile... with `code_qp` and `lib_qp`);
    /// default: the embedded QPV 2024 of Grand Belfort.
    #[arg(long, value_name = "FILE")]
    pub qpv: Option<PathBuf>,
    /// Layer of a multi-layer --qpv file (GeoPackage...).
    #[arg(long, value_name = "NAME", requires = "qpv")]
    pub qpv_layer: Option<String>,
    /// Attribute of --qpv holding each zone's code.
    #[arg(long, value_name = "NAME", default_value = "code_qp")]
    pub code_field: String,
    /// Attribute of --qpv holding each zone's name (e.g. `NOM_QP`).
    #[arg(long, value_name = "NAME", default_value = "lib_qp")]
    pub name_field: String,
}

impl ZoneInput {
    /// The zones in the working CRS.
    pub fn load(&self, crs: Crs) -> qpv::Result<Vec<Zone>> {
        let fields = ZoneFields {
            code: self.code_field.clone(),
            name: self.name_field.clone(),
            layer: self.qpv_layer.clone(),
            ..ZoneFields::default()
        };
        match &self.qpv {
            Some(path) => read_zones(path, &fields, crs).map_err(|e| match e {
                // The layer flag of the zones is --qpv-layer (--layer is the points' one).
                qpv::Error::Input {
                    path,
                    location,
                    message,
                    hint,
                } => qpv::Error::Input {
                    hint: hint.replace("with --layer", "with --qpv-layer"),
                    path,
                    location,
                    message,
                },
                other => other,
            }),
            None => qpv::io::embedded::zones(crs),
        }
    }
}

/// Where the facilities come from and which categories to keep.
#[derive(Debug, Args)]
pub struct FacilityInput {
    /// Facilities (CSV with coordinates, or a point layer); default: the embedded schools of
    /// the Territoire de Belfort (Annuaire de l'éducation) and the embedded social centres
    /// whose address geocodes (2 of 7, at approximate positions: see `geocoding_precision`).
    #[arg(long, value_name = "FILE")]
    pub facilities: Option<PathBuf>,
    /// Column of --facilities holding each facility's category.
    #[arg(long, value_name = "NAME", alias = "category-column")]
    pub category_field: Option<String>,
    /// Facilities added to the set (the embedded one, or --facilities), e.g. your social
    /// centres next to the embedded schools; same formats, category from --category-field or
    /// detected. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub add_facilities: Vec<PathBuf>,
    /// Work on these categories only (comma-separated, e.g. `college,lycee`). With
    /// --facilities and no --category-field, a single name is the category of every row.
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub category: Vec<String>,
}

impl FacilityInput {
    /// Every facility, whatever --category says (for messages naming the categories present).
    pub fn load_all(&self, crs: Crs) -> qpv::Result<LoadedFacilities> {
        let (facilities, _, unplaced) = self.load_filtered(crs, false)?;
        Ok((facilities, None, unplaced))
    }

    /// The facilities (already filtered), the requested categories, if any, and the embedded
    /// social centres left out for want of a position (empty with --facilities).
    pub fn load(&self, crs: Crs) -> qpv::Result<LoadedFacilities> {
        self.load_filtered(crs, true)
    }

    fn load_filtered(&self, crs: Crs, filter: bool) -> qpv::Result<LoadedFacilities> {
        // With --facilities and no category column, one name is the category of every row.
        let fixed = self.facilities.is_some() && self.category_field.is_none();
        let mut wanted: Vec<Category> = self.category.iter().map(|c| Category::new(c)).collect();
        let mut unplaced = Vec::new();
        let mut facilities = match &self.facilities {
            None => {
                let set = qpv::analysis::default_facilities::facilities_with_social_centres(crs)?;
                unplaced = set.unplaced_social_centres;
                set.facilities
            }
            Some(path) => {
                let fields = FacilityFields {
                    category: match (&self.category_field, wanted.as_slice()) {
                        (Some(column), _) => CategorySource::Column(column.clone()),
                        (None, [one]) => {
                            CategorySource::Fixed(Category::new(&Category::key(one.as_str())))
                        }
                        (None, _) => CategorySource::Detect,
                    },
                    ..FacilityFields::default()
                };
                read_facilities(path, &fields, crs)?
            }
        };
        for path in &self.add_facilities {
            let fields = FacilityFields {
                category: match &self.category_field {
                    Some(column) => CategorySource::Column(column.clone()),
                    None => CategorySource::Detect,
                },
                ..FacilityFields::default()
            };
            facilities.extend(read_facilities(path, &fields, crs)?);
        }
        if wanted.is_empty() || !filter {
            return Ok((facilities, None, unplaced));
        }
        if !(fixed && wanted.len() == 1) {
            let known: Vec<Category> = facilities.iter().map(|f| f.category.clone()).collect();
            wanted = Category::resolve(&self.category, &known)?;
        }
        facilities.retain(|f| wanted.contains(&f.category));
        if !wanted.contains(&Category::new(Category::SOCIAL_CENTRE)) {
            unplaced.clear();
        }
        Ok((facilities, Some(wanted), unplaced))
    }
}

/// Facilities, requested categories, and the embedded social centres without a position.
pub type LoadedFacilities = (Vec<Facility>, Option<Vec<Category>>, Vec<UnplacedCentre>);

impl ZoneInput {
    /// The file given, if any (to refuse it as an output).
    pub fn inputs(&self) -> Vec<PathBuf> {
        self.qpv.iter().cloned().collect()
    }
}

/// Where the 200 m grid comes from.
#[derive(Debug, Args)]
pub struct GridInput {
    /// Filosofi 200 m grid CSV (IdINSPIRE, Ind, Men, …). Default: the embedded Filosofi 2019
    /// grid of Grand Belfort (box + 1 km); see --grid-year.
    #[arg(long, value_name = "FILE")]
    pub grid: Option<PathBuf>,
    /// Filosofi vintage: without --grid, which embedded grid (2019, the default, over all of
    /// Grand Belfort; or 2015, Belfort and Offemont only); with --grid, the vintage of the file
    /// as reports should name it (default: a year in the file name, else "unstated").
    #[arg(long, value_name = "YEAR")]
    pub grid_year: Option<u16>,
    /// Keep only the grid cells whose centre lies in the 52 communes of CA Grand Belfort
    /// (the 2019 extract also covers Héricourt and the north of the Montbéliard area).
    #[arg(long)]
    pub grid_within_communes: bool,
}

impl GridInput {
    /// The grid cells in the working CRS and how reports name them.
    pub fn load(&self, crs: Crs) -> qpv::Result<(Vec<GridCell>, GridSource)> {
        let (cells, mut source) = match &self.grid {
            Some(p) => {
                let cells = qpv::io::read_grid(p, crs)?;
                let name = p
                    .file_name()
                    .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into());
                let source = GridSource {
                    vintage: self.grid_year.or_else(|| vintage_in_name(p)),
                    origin: name,
                    restricted_to: None,
                    cells: 0,
                    population: 0.0,
                };
                (cells, source)
            }
            None => {
                let year = match self.grid_year {
                    None => GridYear::default(),
                    Some(y) => GridYear::from_year(y).ok_or_else(|| {
                        qpv::Error::usage(
                            format!("--grid-year {y}: there is no embedded Filosofi {y} grid"),
                            "the embedded grids are 2019 (default) and 2015; for another \
                             vintage give the file with --grid",
                        )
                    })?,
                };
                let cells = qpv::io::embedded::grid(year, crs)?;
                let source = qpv::io::embedded::grid_source(year, &cells);
                (cells, source)
            }
        };
        let cells = if self.grid_within_communes {
            let communes = ZoneIndex::new(&qpv::io::embedded::communes(crs)?);
            source.restricted_to = Some(qpv::io::embedded::COMMUNES_RESTRICTION.into());
            restrict_to_zones(cells, &communes)
        } else {
            cells
        };
        source.cells = cells.len();
        source.population = cells.iter().map(|c| c.values.ind).sum();
        Ok((cells, source))
    }

    /// The file given, if any.
    pub fn inputs(&self) -> Vec<PathBuf> {
        self.grid.iter().cloned().collect()
    }
}

/// Current QPV and grid: the layers of the perimeter and simulation commands.
#[derive(Debug, Args)]
pub struct DataArgs {
    #[command(flatten)]
    pub zones: ZoneInput,
    #[command(flatten)]
    pub grid: GridInput,
}

impl DataArgs {
    /// The current QPV.
    pub fn zones(&self, crs: Crs) -> qpv::Result<Vec<Zone>> {
        self.zones.load(crs)
    }

    /// The grid cells and how reports name them.
    pub fn cells(&self, crs: Crs) -> qpv::Result<(Vec<GridCell>, GridSource)> {
        self.grid.load(crs)
    }

    /// The files given, if any.
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut v = self.zones.inputs();
        v.extend(self.grid.inputs());
        v
    }
}

impl FacilityInput {
    /// The file given, if any.
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = self.facilities.iter().cloned().collect();
        v.extend(self.add_facilities.iter().cloned());
        v
    }
}

/// Checks user distances: finite and not negative.
pub fn check_distance(value: f64, flag: &str) -> qpv::Result<()> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(qpv::Error::usage(
            format!("{flag} {value} is not a distance in metres"),
            format!("give a number of metres ≥ 0, e.g. {flag} 300"),
        ))
    }
}

/// The inputs of a coverage run, shared by `qpv coverage` and `qpv report`.
#[derive(Debug, Args)]
pub struct CoverageInputs {
    #[command(flatten)]
    pub zones: ZoneInput,
    #[command(flatten)]
    pub facilities: FacilityInput,
    /// Distances to the perimeter in metres, comma-separated (each gives its own records;
    /// the maps of `qpv report` draw the first).
    #[arg(
        long,
        value_name = "M[,M...]",
        value_delimiter = ',',
        default_value = "300",
        allow_negative_numbers = true
    )]
    pub distance: Vec<f64>,
    /// Filosofi 200 m grid for population-weighted shares; default with the embedded QPV:
    /// the embedded grid.
    #[command(flatten)]
    pub grid: GridInput,
}
