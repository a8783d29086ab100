//! The layer rule of docs/ARCHITECTURE.md, enforced: every `src/**/*.rs` is read, the modules it
//! imports are collected (`use crate::…` / `use qpv::…` / `use super::…` statements, grouped
//! `use crate::{a, b::c}` trees, and inline `crate::x::…` paths in code), and the test fails when
//!
//! (a) a module imports a module above it in the layer order
//!     `error → geometry → crs → model → io → index → geocode → analysis → output → cli → main`
//!     (geocode is an analysis-level subsystem: analysis may use geocode, not the reverse), or
//! (b) files import each other, directly or through a longer loop (a cycle in the file graph).
//!
//! Each failure names the importing file, the path it wrote and the module that path lands on.
//! Paths that land on a re-export (`pub use child::Item` in a `mod.rs`) are followed to the file
//! that defines the item, so a parent re-exporting its children is not a cycle. Unit tests
//! (`#[cfg(test)] mod … { … }`) are left out: a test may use a higher layer to build its inputs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, lowest first. A module may import only modules of its own layer or to its left.
const LAYERS: &[&str] = &[
    "error", "geometry", "crs", "model", "io", "index", "geocode", "analysis", "output", "cli",
    "main",
];

/// Known violations that other engineers remove on their branches this session (issue 10). Each
/// entry is (importing file, imported module prefix). The lead deletes this list at merge; a stale
/// entry is reported (not failed) so it is easy to see which ones can go.
const ALLOWED: &[(&str, &str)] = &[];

/// One import: which file wrote which path, and the module it lands on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    file: String,
    written: String,
    target: Vec<String>,
}

/// A crate's files: module path (`["analysis", "coverage"]`) → (file name, source text).
struct Crate {
    modules: BTreeMap<Vec<String>, (String, String)>,
}

impl Crate {
    /// Builds the module map from `(path relative to the repo, source)` pairs under `src/`.
    fn new(files: Vec<(String, String)>) -> Crate {
        let mut modules = BTreeMap::new();
        for (file, text) in files {
            modules.insert(module_of(&file), (file, text));
        }
        Crate { modules }
    }

    fn is_module(&self, path: &[String]) -> bool {
        self.modules.contains_key(path)
    }

    /// Every import of every file, resolved to the module (file) it lands on.
    fn edges(&self) -> Vec<Edge> {
        let reexports = self.reexports();
        let mut edges = BTreeSet::new();
        for (module, (file, text)) in &self.modules {
            let code = without_tests(&strip_comments_and_strings(text));
            for written in imported_paths(&code) {
                let Some(absolute) = self.absolute(module, &written) else {
                    continue;
                };
                let target = self.resolve(&absolute, &reexports, 0);
                if target != *module && !target.is_empty() {
                    edges.insert(Edge {
                        file: file.clone(),
                        written: written.join("::"),
                        target,
                    });
                }
            }
        }
        edges.into_iter().collect()
    }

    /// `crate::a::b` / `qpv::a::b` / `super::b` / `self::b` as an absolute path from the crate
    /// root; `None` for external crates.
    fn absolute(&self, module: &[String], written: &[String]) -> Option<Vec<String>> {
        let mut base: Vec<String> = match written.first().map(String::as_str) {
            Some("crate") | Some("qpv") => Vec::new(),
            Some("self") => module.to_vec(),
            Some("super") => parent(module),
            _ => {
                // A relative path naming a child module (`use coverage::X` in analysis/mod.rs).
                let mut child = module.to_vec();
                child.push(written.first()?.clone());
                if module != ["main"] && self.is_module(&child) {
                    let mut path = module.to_vec();
                    path.extend(written.iter().cloned());
                    return Some(path);
                }
                return None;
            }
        };
        let mut rest = &written[1..];
        while rest.first().map(String::as_str) == Some("super") {
            base = parent(&base);
            rest = &rest[1..];
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    /// The module a path lands on: its longest module prefix, following re-exports of the next
    /// name (`crate::model::Zone` → `model::zone`).
    fn resolve(
        &self,
        path: &[String],
        reexports: &BTreeMap<Vec<String>, BTreeMap<String, Vec<String>>>,
        depth: usize,
    ) -> Vec<String> {
        let mut len = path.len();
        while len > 0 && !self.is_module(&path[..len]) {
            len -= 1;
        }
        let module = path[..len].to_vec();
        if depth < 8
            && let Some(name) = path.get(len)
            && let Some(source) = reexports.get(&module).and_then(|m| m.get(name))
        {
            let mut next = source.clone();
            next.extend(path[len + 1..].iter().cloned());
            return self.resolve(&next, reexports, depth + 1);
        }
        module
    }

    /// For each module, the names its `use` statements bring in and where they come from.
    fn reexports(&self) -> BTreeMap<Vec<String>, BTreeMap<String, Vec<String>>> {
        let mut all = BTreeMap::new();
        for (module, (_, text)) in &self.modules {
            let code = without_tests(&strip_comments_and_strings(text));
            let mut names = BTreeMap::new();
            for statement in use_statements(&code) {
                for (path, alias) in use_tree_leaves(&statement) {
                    if let (Some(alias), Some(absolute)) = (alias, self.absolute(module, &path)) {
                        names.insert(alias, absolute);
                    }
                }
            }
            all.insert(module.clone(), names);
        }
        all
    }
}

/// `src/lib.rs` → `[]`, `src/main.rs` → `["main"]`, `src/a/mod.rs` → `["a"]`, `src/a/b.rs` →
/// `["a", "b"]`. The binary's `crate::cli` and the library's `crate::x` share one namespace: the
/// library has no `cli` module and the binary has no other.
fn module_of(file: &str) -> Vec<String> {
    let rel = file.trim_start_matches("src/").trim_end_matches(".rs");
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if matches!(parts.last().map(String::as_str), Some("mod") | Some("lib")) {
        parts.pop();
    }
    parts
}

fn parent(module: &[String]) -> Vec<String> {
    module[..module.len().saturating_sub(1)].to_vec()
}

/// The source with comments removed and string/char literals emptied, so that neither doc
/// examples (`qpv::…` in `///`) nor messages are read as imports and braces balance.
fn strip_comments_and_strings(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !chars[..i]
                .last()
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            let mut hashes = 0;
            let mut j = i + 1;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            'raw: while j < chars.len() {
                if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break 'raw;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && (chars.get(i + 2) == Some(&'\'') || next == Some('\\')) {
            // A char literal ('a', '\n', '\u{..}'); a lifetime ('a) has no closing quote.
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The code without `#[cfg(test)]` items (unit-test modules and test-only functions).
fn without_tests(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        // The item ends at the `;` or the brace closing its first `{`, whichever comes first.
        let mut depth = 0usize;
        let mut end = after.len();
        for (k, ch) in after.char_indices() {
            match ch {
                ';' if depth == 0 => {
                    end = k + 1;
                    break;
                }
                '{' => depth += 1,
                // An item that the enclosing block closes (an enum variant, a match arm).
                '}' if depth == 0 => {
                    end = k;
                    break;
                }
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every `use …;` statement's tree (the text between `use` and `;`).
fn use_statements(code: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let mut search = 0;
    while let Some(found) = code[search..].find("use ") {
        let at = search + found;
        search = at + 4;
        let before = code[..at].chars().next_back();
        if before.is_some_and(is_ident_char) {
            continue;
        }
        if let Some(end) = code[at..].find(';') {
            statements.push(code[at + 4..at + end].to_string());
            search = at + end;
        }
    }
    statements
}

/// The leaves of a use tree, with the name each brings into scope:
/// `crate::{a, b::{c as d, self}}` → `crate::a` (a), `crate::b::c` (d), `crate::b` (b).
fn use_tree_leaves(tree: &str) -> Vec<(Vec<String>, Option<String>)> {
    let tokens = tokenize(tree);
    let mut leaves = Vec::new();
    let mut pos = 0;
    parse_tree(&tokens, &mut pos, Vec::new(), &mut leaves);
    leaves
}

fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_ident_char(c) {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            tokens.push(std::mem::take(&mut word));
        }
        if matches!(c, '{' | '}' | ',' | '*') {
            tokens.push(c.to_string());
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    tokens
}

/// Parses one tree at `pos` (a path, then optionally `{ tree, tree… }`, `*` or `as alias`).
fn parse_tree(
    tokens: &[String],
    pos: &mut usize,
    prefix: Vec<String>,
    leaves: &mut Vec<(Vec<String>, Option<String>)>,
) {
    let mut path = prefix;
    while let Some(token) = tokens.get(*pos) {
        match token.as_str() {
            "{" => {
                *pos += 1;
                while let Some(t) = tokens.get(*pos) {
                    match t.as_str() {
                        "}" => {
                            *pos += 1;
                            return;
                        }
                        "," => *pos += 1,
                        _ => parse_tree(tokens, pos, path.clone(), leaves),
                    }
                }
                return;
            }
            "}" | "," => break,
            "*" => {
                *pos += 1;
                leaves.push((path.clone(), None));
                return;
            }
            "as" => {
                *pos += 1;
                let alias = tokens.get(*pos).cloned();
                *pos += 1;
                leaves.push((path.clone(), alias));
                return;
            }
            "self" if !path.is_empty() => *pos += 1,
            _ => {
                path.push(token.clone());
                *pos += 1;
            }
        }
    }
    let alias = path.last().cloned();
    if !path.is_empty() {
        leaves.push((path, alias));
    }
}

/// Every crate-internal path a file writes: the leaves of its `use` trees and the inline
/// `crate::…`, `qpv::…`, `super::…` paths in its code.
fn imported_paths(code: &str) -> Vec<Vec<String>> {
    let mut paths: Vec<Vec<String>> = use_statements(code)
        .iter()
        .flat_map(|s| use_tree_leaves(s))
        .map(|(path, _)| path)
        .filter(|path| {
            matches!(
                path.first().map(String::as_str),
                Some("crate" | "qpv" | "super" | "self")
            )
        })
        .collect();
    let mut without_uses = String::with_capacity(code.len());
    let mut rest = code;
    for statement in use_statements(code) {
        if let Some(at) = rest.find(&statement) {
            without_uses.push_str(&rest[..at]);
            rest = &rest[at + statement.len()..];
        }
    }
    without_uses.push_str(rest);
    let chars: Vec<char> = without_uses.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i == 0 || !is_ident_char(chars[i - 1]);
        if starts_word && is_ident_char(chars[i]) {
            let mut segments = Vec::new();
            let mut j = i;
            loop {
                let start = j;
                while j < chars.len() && is_ident_char(chars[j]) {
                    j += 1;
                }
                segments.push(chars[start..j].iter().collect::<String>());
                if chars.get(j) == Some(&':')
                    && chars.get(j + 1) == Some(&':')
                    && chars.get(j + 2).is_some_and(|c| is_ident_char(*c))
                {
                    j += 2;
                } else {
                    break;
                }
            }
            if segments.len() > 1 && matches!(segments[0].as_str(), "crate" | "qpv" | "super") {
                paths.push(segments);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    paths
}

fn layer_rank(module: &[String]) -> Option<usize> {
    LAYERS
        .iter()
        .position(|l| Some(*l) == module.first().map(String::as_str))
}

fn allowed(edge: &Edge, allowlist: &[(&str, &str)]) -> bool {
    let target = edge.target.join("::");
    allowlist.iter().any(|(file, prefix)| {
        *file == edge.file && (target == *prefix || target.starts_with(&format!("{prefix}::")))
    })
}

/// (a): imports of a higher layer, one line each.
fn upward_imports(krate: &Crate, edges: &[Edge]) -> Vec<String> {
    let by_file: BTreeMap<&str, &Vec<String>> = krate
        .modules
        .iter()
        .map(|(m, (f, _))| (f.as_str(), m))
        .collect();
    let mut problems = Vec::new();
    for edge in edges {
        let (Some(from), Some(to)) = (
            layer_rank(by_file[edge.file.as_str()]),
            layer_rank(&edge.target),
        ) else {
            continue;
        };
        if to > from {
            problems.push(format!(
                "{} imports `{}` (module {}): layer `{}` is above `{}`",
                edge.file,
                edge.written,
                edge.target.join("::"),
                LAYERS[to],
                LAYERS[from]
            ));
        }
    }
    problems
}

/// (b): cycles in the file graph (strongly connected components of two files or more), each
/// printed with the imports that close it.
fn cycles(krate: &Crate, edges: &[Edge]) -> Vec<String> {
    let file_of: BTreeMap<&Vec<String>, &str> = krate
        .modules
        .iter()
        .map(|(m, (f, _))| (m, f.as_str()))
        .collect();
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for edge in edges {
        if let Some(to) = file_of.get(&edge.target) {
            graph.entry(edge.file.as_str()).or_default().insert(to);
        }
    }
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(node) = stack.pop() {
            for next in graph.get(node.as_str()).into_iter().flatten() {
                if seen.insert(next.to_string()) {
                    stack.push(next.to_string());
                }
            }
        }
        seen
    };
    let files: Vec<&str> = graph.keys().copied().collect();
    let reachable: BTreeMap<&str, BTreeSet<String>> =
        files.iter().map(|f| (*f, reach(f))).collect();
    let mut components: BTreeSet<Vec<String>> = BTreeSet::new();
    for file in &files {
        if !reachable[file].contains(*file) {
            continue;
        }
        let component: Vec<String> = reachable[file]
            .iter()
            .filter(|other| {
                reachable
                    .get(other.as_str())
                    .is_some_and(|r| r.contains(*file))
            })
            .cloned()
            .collect();
        components.insert(component);
    }
    components
        .into_iter()
        .map(|component| {
            let inside: Vec<String> = edges
                .iter()
                .filter(|e| component.contains(&e.file))
                .filter(|e| {
                    file_of
                        .get(&e.target)
                        .is_some_and(|t| component.iter().any(|c| c == t))
                })
                .map(|e| format!("    {} imports `{}`", e.file, e.written))
                .collect();
            format!(
                "cycle between {}:\n{}",
                component.join(", "),
                inside.join("\n")
            )
        })
        .collect()
}

/// Runs both checks on a crate, leaving out the imports of `allowlist`; the problems found, one
/// message each.
fn check(krate: &Crate, allowlist: &[(&str, &str)]) -> Vec<String> {
    let edges: Vec<Edge> = krate
        .edges()
        .into_iter()
        .filter(|e| !allowed(e, allowlist))
        .collect();
    let mut problems = upward_imports(krate, &edges);
    problems.extend(cycles(krate, &edges));
    problems
}

fn read_sources(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_sources(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).expect("under the root");
            let text = std::fs::read_to_string(&path).expect("source is UTF-8");
            out.push((rel.to_string_lossy().replace('\\', "/"), text));
        }
    }
}

#[test]
fn layers_point_one_way_and_files_form_no_cycle() {
    // QPV_ARCH_ROOT=DIR checks another checkout's src/ (e.g. an older commit's, extracted).
    let root = std::env::var_os("QPV_ARCH_ROOT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf());
    let root = root.as_path();
    let mut files = Vec::new();
    read_sources(&root.join("src"), root, &mut files);
    assert!(files.len() > 100, "read {} files under src/", files.len());
    let krate = Crate::new(files);
    let edges = krate.edges();
    // QPV_ARCH_EDGES=1 cargo test --test architecture -- --nocapture: the whole import graph.
    if std::env::var_os("QPV_ARCH_EDGES").is_some() {
        for e in &edges {
            eprintln!("{} -> {} ({})", e.file, e.target.join("::"), e.written);
        }
    }
    for entry in ALLOWED {
        if !edges.iter().any(|e| allowed(e, &[*entry])) {
            eprintln!("note: allowlist entry {entry:?} is no longer needed: delete it");
        }
    }
    let problems = check(&krate, ALLOWED);
    assert!(
        problems.is_empty(),
        "the layer rule of docs/ARCHITECTURE.md is broken ({} problems):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

// The checker itself, on tiny synthetic crates, so that it is seen to fail.

fn synthetic(files: &[(&str, &str)]) -> Crate {
    Crate::new(
        files
            .iter()
            .map(|(f, t)| (f.to_string(), t.to_string()))
            .collect(),
    )
}

#[test]
fn checker_flags_a_lower_layer_importing_a_higher_one() {
    let krate = synthetic(&[
        ("src/lib.rs", "pub mod model; pub mod analysis;"),
        ("src/model/mod.rs", "mod zone;\npub use zone::Zone;"),
        (
            "src/model/zone.rs",
            "use crate::{analysis::coverage::{self, Ring}, error};\n",
        ),
        ("src/analysis/mod.rs", "pub mod coverage;"),
        (
            "src/analysis/coverage.rs",
            "use crate::model::Zone;\npub struct Ring;",
        ),
    ]);
    assert_eq!(
        check(&krate, &[]),
        vec![
            "src/model/zone.rs imports `crate::analysis::coverage` (module analysis::coverage): \
             layer `analysis` is above `model`",
            "src/model/zone.rs imports `crate::analysis::coverage::Ring` (module \
             analysis::coverage): layer `analysis` is above `model`",
            "cycle between src/analysis/coverage.rs, src/model/zone.rs:\n    \
             src/analysis/coverage.rs imports `crate::model::Zone`\n    \
             src/model/zone.rs imports `crate::analysis::coverage`\n    \
             src/model/zone.rs imports `crate::analysis::coverage::Ring`"
        ]
    );
}

#[test]
fn checker_reads_inline_paths_and_skips_comments_strings_and_tests() {
    let krate = synthetic(&[
        ("src/lib.rs", ""),
        (
            "src/io/zones.rs",
            "/// use crate::output::x;\nfn f() { let s = \"crate::output::y\"; \
             crate::output::table::write(); }\n#[cfg(test)]\nmod tests { use crate::output::z; }",
        ),
        ("src/output/table.rs", "pub fn write() {}"),
        ("src/output/mod.rs", "pub mod table;"),
    ]);
    assert_eq!(
        check(&krate, &[]),
        vec![
            "src/io/zones.rs imports `crate::output::table::write` (module output::table): layer \
             `output` is above `io`"
        ]
    );
}

/// A `#[cfg(test)]` on an enum variant or a match arm ends at the brace of the enclosing
/// block (the checker panicked on the variant, subtracting below zero), and the code after
/// that block is still read.
#[test]
fn checker_skips_a_test_only_variant_or_arm() {
    let code = "enum E {\n    A,\n    #[cfg(test)]\n    B,\n}\nfn f(e: E) -> u8 { match e { E::A => 0, \
                #[cfg(test)]\n E::B => 1 } }\nfn g() { crate::output::x(); }";
    assert_eq!(
        without_tests(code),
        "enum E {\n    A,\n    }\nfn f(e: E) -> u8 { match e { E::A => 0, } }\nfn g() { \
         crate::output::x(); }"
    );
}

#[test]
fn checker_finds_a_cycle_between_siblings_in_one_layer() {
    let krate = synthetic(&[
        ("src/main.rs", "mod cli;"),
        ("src/cli/mod.rs", "mod locate; mod geocode; mod info;"),
        ("src/cli/locate.rs", "use super::geocode::run;"),
        ("src/cli/geocode.rs", "fn f() { super::info::g() }"),
        ("src/cli/info.rs", "use crate::cli::locate as l;"),
    ]);
    let problems = check(&krate, &[]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0]
            .starts_with("cycle between src/cli/geocode.rs, src/cli/info.rs, src/cli/locate.rs:")
    );
}

#[test]
fn checker_accepts_a_clean_crate_and_reexports() {
    let krate = synthetic(&[
        (
            "src/lib.rs",
            "pub mod model; pub use error::Error; pub mod error;",
        ),
        ("src/error.rs", "pub struct Error;"),
        (
            "src/model/mod.rs",
            "mod zone; mod text;\npub use {text::fold, zone::Zone};",
        ),
        ("src/model/zone.rs", "use super::fold; use crate::Error;"),
        ("src/model/text.rs", "pub fn fold() { let c = '{'; }"),
    ]);
    assert_eq!(check(&krate, &[]), Vec::<String>::new());
}
