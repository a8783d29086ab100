//! The Markdown reports of `qpv perimeter test`, `qpv perimeter compare` and `qpv simulate`
//! are in French by default (the planners' language: French numbers `1 234`, `37,2 %`, the
//! grid named in French), the same with `--lang fr`, and in English with `--lang en`, word for
//! word as before the French text existed (the English goldens, run with `--lang en`, did not
//! change). Oracle: the figures of the English goldens (tests/golden/*_markdown.md) spelt the
//! French way.

mod common;

use common::run;

const CANDIDATE: &str = "tests/golden/inputs/candidate.geojson";
const CANDIDATE_B: &str = "tests/golden/inputs/candidate_b.geojson";

/// Words and headings of the English reports that no French report may contain.
const ENGLISH: &[&str] = &[
    "Grid",
    "Baseline",
    "Perimeter test",
    "Candidate perimeters",
    "Indicators",
    "Overlap",
    "Facilities",
    "Eligibility",
    "households",
    "poor share",
    "mean standard of living",
    "area (ha)",
    "inhabitants",
    "why not",
    "| yes |",
    "| no |",
    "Calibrated",
    "rounded up",
    "Income proxy",
    "below",
    "current QPV",
    "added",
    "removed",
    "gained",
    "within",
    "Simulated",
    "marked",
    "connected groups",
    "zones kept",
    "Official QPV",
    "best QPV",
    "best zone",
    "rejected",
    "first cell",
    "| reason |",
    " the ",
    " of ",
    " and ",
    " cells",
];

/// `qpv -q ARGS` on success: its standard output.
fn report(args: &[&str]) -> String {
    let mut all = vec!["-q"];
    all.extend_from_slice(args);
    let (code, out, err) = run(&all);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

/// The default report: French (every sentence asked for, no English word, no English number),
/// the same bytes as with `--lang fr`; and the English report with `--lang en`.
fn check_languages(args: &[&str], french: &[&str], english: &[&str]) {
    let default = report(args);
    for sentence in french {
        assert!(
            default.contains(sentence),
            "{args:?}: want «{sentence}» in\n{default}"
        );
    }
    for word in ENGLISH {
        assert!(
            !default.contains(word),
            "{args:?}: English '{word}' in\n{default}"
        );
    }
    // English numbers: `1,000` reads as one in French, `37.2` is not a French decimal.
    let bytes = default.as_bytes();
    for (i, w) in bytes.windows(3).enumerate() {
        let digit = |b: u8| b.is_ascii_digit();
        assert!(
            !(digit(w[0]) && w[1] == b'.' && digit(w[2])),
            "{args:?}: an English decimal point at byte {i} in\n{default}"
        );
    }
    assert!(!default.contains("3490"), "{args:?}: ungrouped thousands");
    let with_fr = report(&[args, &["--lang", "fr"]].concat());
    assert_eq!(
        default, with_fr,
        "{args:?}: --lang fr differs from the default"
    );
    let en = report(&[args, &["--lang", "en"]].concat());
    for sentence in english {
        assert!(
            en.contains(sentence),
            "{args:?}: want '{sentence}' in\n{en}"
        );
    }
    assert!(!en.contains('\u{202f}') && !en.contains('\u{a0}'), "{en}");
}

#[test]
fn perimeter_test_report_is_french_by_default() {
    check_languages(
        &["perimeter", "test", CANDIDATE],
        &[
            "# Test de périmètre : candidate\n",
            "Grille : grille carroyée Filosofi 2019 de l'Insee (carreaux de 200 m) (extrait \
             intégré : emprise du Grand Belfort + 1 km, avec Héricourt et le nord du Pays de \
             Montbéliard), 3\u{202f}490 carreaux. Les populations sont des estimations",
            "Référence : les QPV actuels que ce candidat recoupe (QN09007N) ; partie ajoutée = \
             candidat − référence, partie retirée = référence − candidat",
            "\n## Indicateurs\n",
            "| | superficie (ha) | population | ménages | ménages pauvres | part de ménages \
             pauvres | niveau de vie moyen | propriétaires | pop. des carreaux imputés |",
            "| candidat | 18,52 | 956 | 517 | 192 | 37,2\u{a0}% | 16\u{202f}240\u{a0}€ | \
             11,4\u{a0}% | 1,6\u{a0}% |",
            "| QPV actuels (QN09007N) |",
            "| partie ajoutée | 0,00 | 0 | 0 | 0 | – | – | – | – |",
            "1,4\u{a0}% de la surface du candidat est hors des carreaux habités (aucun habitant \
             n'y est compté).",
            "\n## Recoupement avec les QPV actuels\n",
            "| QN09007N | La Pépinière | 18,52 | 956 | 18,52 | 956 | 100,0\u{a0}% | \
             100,0\u{a0}% | 100,0\u{a0}% |",
            "\n## Équipements (dans le périmètre, et à moins de 300 m)\n",
            "| collège | 0 | 1 | 0 | 0 | 0 |",
            "| centre social | 0 | 1 | 0 | 0 | 0 |",
            "\n## Éligibilité de chaque partie continue\n",
            "S = 0,6 × (0,7 × 20\u{202f}300\u{a0}€ + 0,3 × médiane de l'unité urbaine), arrondi \
             à la centaine d'euros supérieure = **12\u{202f}200\u{a0}€**",
            "Proxy de revenu retenu : part de ménages pauvres d'au moins 24,0\u{a0}%.",
            "Proxy calibré : une partie passe le critère quand sa part de ménages pauvres est \
             d'au moins **24,0\u{a0}%**, la part la plus basse des QPV officiels sur la même \
             grille (QN09001I ; tous : QN09001I 24,0\u{a0}%, QN09002M 47,1\u{a0}%",
            "| 1 | 18,52 | 956 | 16\u{202f}240\u{a0}€ | 37,2\u{a0}% | +13,2 points | \
             -4\u{202f}040\u{a0}€ | non | population de 956 inférieure à 1\u{202f}000 |",
        ],
        &[
            "# Perimeter test: candidate\n",
            "| candidate | 18.52 | 956 | 517 | 192 | 37.2 % | 16,240 € |",
            "**12,200 €**",
            "| no | population 956 below 1000 |",
        ],
    );
}

#[test]
fn perimeter_comparison_report_is_french_by_default() {
    check_languages(
        &["perimeter", "compare", CANDIDATE, CANDIDATE_B],
        &[
            "# Périmètres candidats comparés\n",
            "Référence : l'union des QPV actuels que recoupe l'un des candidats (QN09001I, \
             QN09007N), en première ligne ;",
            "Grille : grille carroyée Filosofi 2019 de l'Insee",
            "| périmètre | superficie (ha) | population | part de ménages pauvres | niveau de vie \
             moyen | % de la superficie dans les QPV actuels | % de la population actuelle \
             conservée | population ajoutée | population retirée | équipements dans le \
             périmètre | parties (éligibles) |",
            "| QPV actuels | 26,05 | 1\u{202f}600 | 32,1\u{a0}% | 17\u{202f}058\u{a0}€ | \
             100,0\u{a0}% | 100,0\u{a0}% | 0 | 0 | – | 2 (0) |",
            "| Bougenel ouest | 16,02 | 698 | 20,7\u{a0}% | 19\u{202f}648\u{a0}€ | 26,8\u{a0}% | \
             13,7\u{a0}% | 479 | 1\u{202f}381 | 1 école élémentaire | 1 (0) |",
        ],
        &[
            "# Candidate perimeters compared\n",
            "| current QPV | 26.05 | 1,600 | 32.1 % | 17,058 € |",
            "| ecole_elementaire 1 | 1 (0) |",
        ],
    );
}

#[test]
fn simulation_report_is_french_by_default() {
    check_languages(
        &["simulate"],
        &[
            "# Zones prioritaires simulées\n",
            "Proxy calibré : une partie passe le critère",
            "Carreaux marqués quand la part de ménages pauvres est d'au moins 24,0\u{a0}% ; les \
             carreaux marqués sont réunis quand ils ont un côté commun (contiguïté « tour ») ; \
             groupes conservés quand ils comptent au moins 1\u{202f}000 habitants et que le \
             groupe dans son ensemble passe le même critère.",
            "182 carreaux marqués sur 3\u{202f}490 (33\u{202f}169 habitants), 78 groupes \
             contigus, 9 zones conservées. IoU (indice de Jaccard) de l'ensemble des zones \
             simulées avec l'ensemble des QPV officiels : 0,177.",
            "Pourquoi les zones simulées diffèrent des QPV officiels : les revenus de la grille \
             sont ceux de 2019,",
            "\n## Zones simulées\n",
            "| zone | carreaux | superficie (ha) | population | part de ménages pauvres | niveau \
             de vie moyen | meilleur QPV | IoU |",
            "| SIM01 | 10 | 39,94 | 4\u{202f}331 | 40,2\u{a0}% | 15\u{202f}006\u{a0}€ | QN09004M \
             Les Résidences | 0,378 |",
            "\n## QPV officiels\n",
            "| QN09002M | Les Glacis Du Château | 1\u{202f}255 | SIM06 | 0,545 | 90,5\u{a0}% | \
             99,9\u{a0}% |",
            "\n## Plus grands groupes écartés\n",
            "| premier carreau | carreaux | population | motif |",
            "| CRS3035RES200mN2729200E4083800 | 2 | 827 | population de 827 inférieure à \
             1\u{202f}000 |",
        ],
        &[
            "# Simulated priority zones\n",
            "182 of 3490 cells marked (33,169 inhabitants), 78 connected groups, 9 zones kept. \
             IoU of all simulated zones with all official QPV: 0.177.",
            "| CRS3035RES200mN2729200E4083800 | 2 | 827 | population 827 < 1000 |",
        ],
    );
}

// French singular for 0 and 1 ("1 carreau marqué", "0 zone conservée"), the mean-income
// criterion and queen contiguity in words, no group test.
#[test]
fn simulation_in_french_counts_one_and_zero_in_the_singular() {
    let out = report(&[
        "simulate",
        "--proxy",
        "mean-income",
        "--contiguity",
        "queen",
        "--no-group-test",
    ]);
    for sentence in [
        "Carreaux marqués quand le niveau de vie moyen est inférieur à 12\u{202f}200\u{a0}€ ; \
         les carreaux marqués sont réunis quand ils ont un côté ou un coin commun (contiguïté \
         « reine ») ; groupes conservés quand ils comptent au moins 1\u{202f}000 habitants.\n",
        "1 carreau marqué sur 3\u{202f}490 (44 habitants), 1 groupe contigu, 0 zone conservée.",
    ] {
        assert!(out.contains(sentence), "want «{sentence}» in\n{out}");
    }
}

// Every reason a part fails, in French, in the order of the English ones.
#[test]
fn perimeter_reasons_in_french() {
    let args = [
        "perimeter",
        "test",
        CANDIDATE_B,
        "--proxy",
        "mean-income",
        "--urban-unit-population",
        "5000",
    ];
    let out = report(&args);
    assert!(
        out.contains(
            "| non | population de 698 inférieure à 1\u{202f}000 ; niveau de vie moyen de \
             19\u{202f}648\u{a0}€ non inférieur à S = 12\u{202f}200\u{a0}€ ; unité urbaine de \
             moins de 10\u{202f}000 habitants |"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "Équipements gagnés (dans le candidat, pas dans les QPV actuels) :\n\n- 0900365H \
             Ecole primaire Victor Schoelcher (école élémentaire)\n"
        ),
        "{out}"
    );
    let en = report(&[&args[..], &["--lang", "en"]].concat());
    assert!(
        en.contains(
            "| no | population 698 below 1000; mean standard of living 19648 € not below S = \
             12200 €; urban unit below 10,000 inhabitants |"
        ),
        "{en}"
    );
}

// Machine-readable outputs do not depend on --lang: the JSON's `baseline_rule` stays English.
#[test]
fn json_and_csv_do_not_change_with_the_language() {
    for args in [
        vec!["perimeter", "test", CANDIDATE, "--format", "json"],
        vec![
            "perimeter",
            "compare",
            CANDIDATE,
            CANDIDATE_B,
            "--format",
            "csv",
        ],
        vec!["simulate", "--format", "json"],
        vec!["simulate", "--format", "table"],
    ] {
        let default = report(&args);
        let en = report(&[&args[..], &["--lang", "en"]].concat());
        let fr = report(&[&args[..], &["--lang", "fr"]].concat());
        assert_eq!(default, en, "{args:?}");
        assert_eq!(default, fr, "{args:?}");
    }
    let json = report(&["perimeter", "test", CANDIDATE, "--format", "json"]);
    assert!(
        json.contains("\"baseline_rule\": \"Baseline: the current QPV"),
        "{json}"
    );
}
