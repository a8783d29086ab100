//! `--select`: the output columns a user keeps, by name, in the order given. A file for a
//! funder often needs only an identifier and the QPV code; writing the rest (and measuring
//! what only the rest needs) is wasted at tens of millions of rows.

use crate::{Error, Result};

/// Output columns picked by name among the columns a command can write.
///
/// ```
/// use qpv::output::ColumnSelection;
///
/// let all: Vec<String> = ["id", "lon", "lat", "code_qp"].map(String::from).to_vec();
/// let kept = ColumnSelection::new(&all, &["code_qp".into(), "id".into()]).unwrap();
/// assert_eq!(kept.columns(), ["code_qp", "id"]);
/// assert_eq!(kept.apply(vec![7, 6, 47, 90]), vec![90, 7]);
/// assert!(ColumnSelection::new(&all, &["x".into()]).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSelection {
    available: Vec<String>,
    names: Vec<String>,
    picks: Vec<usize>,
    identity: bool,
}

impl ColumnSelection {
    /// Every column, in order.
    pub fn all(available: &[String]) -> Self {
        ColumnSelection {
            available: available.to_vec(),
            names: available.to_vec(),
            picks: (0..available.len()).collect(),
            identity: true,
        }
    }

    /// The columns named in `wanted`, in that order; every column when `wanted` is empty. An
    /// unknown or repeated name is a usage error listing the columns there are.
    pub fn new(available: &[String], wanted: &[String]) -> Result<Self> {
        if wanted.is_empty() {
            return Ok(Self::all(available));
        }
        let mut picks = Vec::with_capacity(wanted.len());
        for name in wanted {
            let Some(i) = available.iter().position(|a| a == name) else {
                return Err(Error::usage(
                    format!("--select: the output has no column `{name}`"),
                    format!("choose among: {}", available.join(", ")),
                ));
            };
            if picks.contains(&i) {
                return Err(Error::usage(
                    format!("--select names `{name}` twice"),
                    "give each column once",
                ));
            }
            picks.push(i);
        }
        let identity =
            picks.len() == available.len() && picks.iter().enumerate().all(|(i, &p)| i == p);
        Ok(ColumnSelection {
            available: available.to_vec(),
            names: wanted.to_vec(),
            picks,
            identity,
        })
    }

    /// Names of the kept columns, in output order.
    pub fn columns(&self) -> &[String] {
        &self.names
    }

    /// Every column the command can write, in its own order.
    pub fn available(&self) -> &[String] {
        &self.available
    }

    /// Index, among the available columns, of each kept column in output order.
    pub fn picks(&self) -> &[usize] {
        &self.picks
    }

    /// True when every column is kept in its own place.
    pub fn is_all(&self) -> bool {
        self.identity
    }

    /// True when the column `name` is kept.
    pub fn keeps(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// The kept values of one row given in available-column order.
    pub fn apply<T>(&self, values: Vec<T>) -> Vec<T> {
        if self.identity {
            return values;
        }
        let mut slots: Vec<Option<T>> = values.into_iter().map(Some).collect();
        self.picks
            .iter()
            .map(|&i| slots.get_mut(i).and_then(Option::take))
            .collect::<Option<Vec<T>>>()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn empty_selection_keeps_everything() {
        let all = names(&["a", "b"]);
        let s = ColumnSelection::new(&all, &[]).unwrap();
        assert!(s.is_all());
        assert_eq!(s.apply(vec![1, 2]), vec![1, 2]);
        let same = ColumnSelection::new(&all, &names(&["a", "b"])).unwrap();
        assert!(same.is_all());
        let swapped = ColumnSelection::new(&all, &names(&["b", "a"])).unwrap();
        assert!(!swapped.is_all());
        assert_eq!(swapped.apply(vec![1, 2]), vec![2, 1]);
        assert_eq!(swapped.picks(), [1, 0]);
        assert!(swapped.keeps("a") && !swapped.keeps("c"));
    }

    #[test]
    fn unknown_and_repeated_names_are_usage_errors() {
        let all = names(&["id", "code_qp"]);
        let e = ColumnSelection::new(&all, &names(&["code"]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("`code`"), "{e}");
        let e = ColumnSelection::new(&all, &names(&["id", "id"]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("twice"), "{e}");
    }
}
