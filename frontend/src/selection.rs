//! Which users the bulk actions apply to: ids ticked on the pages shown, or "every user
//! matching the filter in force, except these". A plain value with unit tests; the
//! toolbar, the checkboxes and the banner only read and change it.

use std::collections::BTreeSet;

use cohort_core::api::Selection as WireSelection;
use cohort_core::limits::MAX_SELECTION_IDS;
use serde_json::{Value, json};

/// The users selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// These users, ticked one by one or a page at a time.
    Ids(BTreeSet<String>),
    /// Every user the filter in force matches (whatever page they are on), except these.
    AllMatching { except: BTreeSet<String> },
}

impl Default for Selection {
    fn default() -> Self {
        Self::Ids(BTreeSet::new())
    }
}

/// How much of the page shown is selected: the header checkbox's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageState {
    None,
    /// Some rows: the header checkbox is indeterminate.
    Some,
    All,
}

/// The line under the toolbar once a whole page is selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Banner {
    /// "All 50 users on this page are selected. Select all 1,204 users matching this
    /// filter": `page` rows selected, `total` match.
    OfferAll { page: usize, total: u64 },
    /// "All 1,204 users matching this filter are selected. Clear selection".
    AllSelected { total: u64 },
}

impl Selection {
    /// Whether user `id` is selected.
    pub fn contains(&self, id: &str) -> bool {
        match self {
            Self::Ids(ids) => ids.contains(id),
            Self::AllMatching { except } => !except.contains(id),
        }
    }

    /// Ticks or unticks user `id`.
    pub fn toggle(&mut self, id: &str) {
        let set = match self {
            Self::Ids(ids) => ids,
            Self::AllMatching { except } => except,
        };
        if !set.remove(id) {
            set.insert(id.to_owned());
        }
    }

    /// Selects every row of the page shown (**Select All**).
    pub fn select_page(&mut self, page: &[String]) {
        match self {
            Self::Ids(ids) => ids.extend(page.iter().cloned()),
            Self::AllMatching { except } => except.retain(|id| !page.contains(id)),
        }
    }

    /// Unselects every row of the page shown (**Unselect All**). After "all matching",
    /// everything goes: the admin asked for none of the page, and the rest was never
    /// ticked by hand.
    pub fn unselect_page(&mut self, page: &[String]) {
        match self {
            Self::Ids(ids) => ids.retain(|id| !page.contains(id)),
            Self::AllMatching { .. } => *self = Self::default(),
        }
    }

    /// Every user matching the filter ("Select all N users matching this filter").
    pub fn select_all_matching(&mut self) {
        *self = Self::AllMatching {
            except: BTreeSet::new(),
        };
    }

    /// Nothing selected.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Whether nothing is selected (of `total` matching users).
    pub fn is_empty(&self, total: u64) -> bool {
        self.count(total) == 0
    }

    /// How many users are selected, of `total` matching the filter.
    pub fn count(&self, total: u64) -> u64 {
        match self {
            Self::Ids(ids) => u64::try_from(ids.len()).unwrap_or(u64::MAX),
            Self::AllMatching { except } => {
                total.saturating_sub(u64::try_from(except.len()).unwrap_or(u64::MAX))
            }
        }
    }

    /// The header checkbox's state for the rows on the page.
    pub fn page_state(&self, page: &[String]) -> PageState {
        let selected = page.iter().filter(|id| self.contains(id)).count();
        match selected {
            0 => PageState::None,
            all if all == page.len() => PageState::All,
            _ => PageState::Some,
        }
    }

    /// The banner to show under the toolbar: after "all matching", or when the whole page
    /// is selected and more users match than the page holds.
    pub fn banner(&self, page: &[String], total: u64) -> Option<Banner> {
        match self {
            Self::AllMatching { except } if except.is_empty() => {
                Some(Banner::AllSelected { total })
            }
            Self::AllMatching { .. } => None,
            Self::Ids(ids) => {
                let whole_page = !page.is_empty() && self.page_state(page) == PageState::All;
                let more = u64::try_from(ids.len()).unwrap_or(u64::MAX) < total;
                (whole_page && more).then_some(Banner::OfferAll {
                    page: page.len(),
                    total,
                })
            }
        }
    }

    /// What is wrong with sending this selection, if anything: the API takes at most
    /// 10,000 ids (or exceptions).
    pub fn problem(&self) -> Option<String> {
        let ids = match self {
            Self::Ids(ids) => ids.len(),
            Self::AllMatching { except } => except.len(),
        };
        (ids > MAX_SELECTION_IDS).then(|| {
            format!(
                "At most {MAX_SELECTION_IDS} users can be ticked one by one; select all users \
                 matching a filter instead."
            )
        })
    }

    /// The selection as the API takes it, with `filter` the filter in force (`None`:
    /// every user of the bot).
    pub fn to_wire(&self, filter: Option<&Value>) -> WireSelection {
        match self {
            Self::Ids(ids) => WireSelection {
                ids: Some(ids.iter().cloned().collect()),
                filter: None,
                except_ids: None,
            },
            Self::AllMatching { except } => WireSelection {
                ids: None,
                filter: Some(filter.cloned().unwrap_or_else(|| json!({"all": []}))),
                except_ids: Some(except.iter().cloned().collect()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|id| (*id).to_owned()).collect()
    }

    #[test]
    fn ticking_rows_one_by_one_counts_them() {
        let mut selection = Selection::default();
        assert!(selection.is_empty(300));
        selection.toggle("1");
        selection.toggle("2");
        selection.toggle("1");
        assert_eq!(selection.count(300), 1);
        assert!(selection.contains("2"));
        assert_eq!(
            selection.page_state(&page(&["1", "2", "3"])),
            PageState::Some
        );
        assert_eq!(selection.banner(&page(&["1", "2", "3"]), 300), None);
    }

    #[test]
    fn a_whole_page_offers_every_matching_user_then_exceptions_count_down() {
        let rows = page(&["1", "2", "3"]);
        let mut selection = Selection::default();
        selection.select_page(&rows);
        assert_eq!(selection.page_state(&rows), PageState::All);
        assert_eq!(
            selection.banner(&rows, 1204),
            Some(Banner::OfferAll {
                page: 3,
                total: 1204
            })
        );
        // Nothing more to offer when the page is everyone.
        assert_eq!(selection.banner(&rows, 3), None);

        selection.select_all_matching();
        assert_eq!(selection.count(1204), 1204);
        assert_eq!(
            selection.banner(&rows, 1204),
            Some(Banner::AllSelected { total: 1204 })
        );
        selection.toggle("2");
        assert_eq!(selection.count(1204), 1203);
        assert!(!selection.contains("2"));
        assert!(selection.contains("999"));
        assert_eq!(selection.banner(&rows, 1204), None);
        selection.select_page(&rows);
        assert_eq!(selection.count(1204), 1204);
    }

    #[test]
    fn unselect_all_empties_the_page_and_all_matching() {
        let rows = page(&["1", "2"]);
        let mut selection = Selection::default();
        selection.select_page(&rows);
        selection.toggle("7");
        selection.unselect_page(&rows);
        assert_eq!(selection, Selection::Ids(["7".to_owned()].into()));
        selection.select_all_matching();
        selection.unselect_page(&rows);
        assert!(selection.is_empty(500));
    }

    #[test]
    fn the_wire_form_is_ids_or_the_filter_with_exceptions() {
        let mut selection = Selection::default();
        selection.toggle("5");
        selection.toggle("12");
        let filter = json!({"column": "channel", "function": "is", "value": "telegram"});
        let wire = |selection: &Selection, filter: Option<&Value>| {
            serde_json::to_value(selection.to_wire(filter)).unwrap_or_default()
        };
        assert_eq!(wire(&selection, Some(&filter)), json!({"ids": ["12", "5"]}));
        selection.select_all_matching();
        selection.toggle("5");
        assert_eq!(
            wire(&selection, Some(&filter)),
            json!({"filter": filter, "except_ids": ["5"]})
        );
        assert_eq!(
            wire(&selection, None),
            json!({"filter": {"all": []}, "except_ids": ["5"]})
        );
    }

    #[test]
    fn more_ids_than_the_api_takes_are_refused_before_sending() {
        let mut selection = Selection::default();
        let ids: Vec<String> = (0..=MAX_SELECTION_IDS).map(|id| id.to_string()).collect();
        selection.select_page(&ids);
        assert!(selection.problem().is_some());
        selection.toggle("0");
        assert_eq!(selection.problem(), None);
    }
}
