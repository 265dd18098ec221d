//! Ongoing monitoring: a customer book kept in the registry, screened again whenever the lists
//! change — only what changed — with alerts that remember the decisions made on them.
//!
//! - [`add_file`] / [`add_customers`]: new and changed customers (by [`Customer::hash`]) are
//!   filed in the book and screened against the current lists; unchanged ones are left alone.
//! - [`update`], after an ingest: for each list, the publication the book was last screened
//!   against is diffed with the latest ([`Registry::diff`]); only the added and changed
//!   entities are screened against the book, through the book's own index (`retrieve`), and
//!   alerts on delisted entities are closed. A list never screened before, or an update that
//!   changes a large part of a list, is screened against the whole book instead (then the
//!   cheaper way).
//! - [`screen_entities`]: the same delta screening for entities that changed outside a list
//!   publication (designation notices).
//! - [`remove_customers`]: customers leave the book, their pending alerts are closed.
//! - [`rescreen`]: the whole book against the current lists, reconciling the alerts with
//!   today's scores (see **Drift** below); run it now and then.
//!
//! Every score is computed in the normal direction — the customer is the query,
//! [`MatchIndex::search`] over an index of the current lists — so an alert scores exactly what
//! `interdict screen` would report for the customer, whichever way the pair was found.
//!
//! **The accept list.** A pair that scores at or above the threshold is raised unless its most
//! recent alert is pending (then it is refreshed, if anything changed) or carries a verdict
//! (false positive, true match) on the very same customer and entity record: the alert keeps
//! both hashes, so a decided false positive stays quiet until either record changes, and then
//! is raised again for a new look. A pending alert whose pair no longer matches after the
//! entity or the customer changed is closed, as is one whose entity is delisted or whose
//! customer leaves the book; verdicts are never touched.
//!
//! **Drift.** A delta run scores a pair again only when one of its two records changes. The
//! term rarities of the lists move every score a little as the lists grow, so a pair that
//! changed nothing can cross the threshold without any run noticing: measured over the 60 SDN
//! publications 2021-08 → 2024-05 on a million customers, about 6% of the alerts, all within
//! 0.04 of the threshold. [`rescreen`] reconciles: it raises what a full screen finds and
//! closes pending alerts it no longer finds (`no_longer_matches`).
//!
//! **Consistency.** Each run reads the monitoring state, screens, and writes its alerts and the
//! new state in one registry transaction that fails if the state moved meanwhile
//! ([`RegistryError::MonitorStale`](interdict_registry::RegistryError::MonitorStale)): an
//! interrupted run is caught up by the next one, and no update is applied twice.

mod alert_json;
mod book;
mod retrieve;

pub use alert_json::AlertJson;
pub use book::{customer_of, read_customers, RejectedRow};
pub use retrieve::RetrievalStats;

use crate::index_cache::{IndexBase, Reuse};
use crate::lists::{index_of, index_of_refs, latest_entities_with, latest_publications};
use crate::ScreeningError;
use interdict_matching::{normalize_identifier, Match, MatchIndex, SearchOptions};
use interdict_model::{Entity, ListId};
use interdict_registry::{
    record_hash, Alert, AlertId, AlertStatus, BookUpdate, CloseReason, ContentHash, Customer,
    MonitorWrite, NewAlert, PublicationId, PublicationInfo, Registry, StoredCustomer, Trigger,
};
use rayon::prelude::*;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

/// Settings of monitoring.
#[derive(Clone, Debug, PartialEq)]
pub struct MonitorOptions {
    /// Alert threshold, and most matches kept per customer and run. The limit is higher than
    /// `screen`'s default: an alert missed because ten other entities scored higher would not
    /// be raised again until something changed.
    pub search: SearchOptions,
    /// A list update that adds or changes more than this fraction of the list's entities is
    /// screened against the whole book, which is then cheaper than looking each entity up.
    pub full_screen_fraction: f64,
}

impl Default for MonitorOptions {
    fn default() -> Self {
        MonitorOptions {
            search: SearchOptions {
                limit: 25,
                ..SearchOptions::default()
            },
            full_screen_fraction: 0.25,
        }
    }
}

/// Where a run spent its time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timings {
    /// Reading the lists and building their screening index.
    pub lists: Duration,
    /// Reverse retrieval of candidate customers (and reading them).
    pub retrieval: Duration,
    /// Filing new customers and screening customers against the lists.
    pub screening: Duration,
    /// The registry transaction.
    pub write: Duration,
    /// The whole run.
    pub total: Duration,
}

/// What a monitoring run did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MonitorReport {
    /// Customers new to the book.
    pub added: usize,
    /// Customers whose record changed.
    pub updated: usize,
    /// Customers given again unchanged (not screened again).
    pub unchanged: usize,
    /// Customers removed.
    pub removed: usize,
    /// Input rows not taken into the book.
    pub rejected: Vec<RejectedRow>,
    /// The publications the book is screened against after the run.
    pub publications: Vec<PublicationInfo>,
    /// Entities new or changed since the book was last screened, screened against it.
    pub changed_entities: usize,
    /// Entities delisted since.
    pub delisted_entities: usize,
    /// Lists screened against the whole book (never screened before, or largely changed).
    pub full_lists: Vec<ListId>,
    /// What reverse retrieval did.
    pub retrieval: RetrievalStats,
    /// Customers screened against the lists.
    pub customers_screened: usize,
    /// Alerts raised.
    pub raised: Vec<AlertId>,
    /// Pending alerts brought up to date.
    pub refreshed: usize,
    /// Pending alerts closed.
    pub closed: usize,
    /// Pairs that matched but carry a verdict on the same records (the accept list).
    pub suppressed: usize,
    /// Customers filed afresh because the book had been filed by an older build.
    pub refiled: usize,
    /// True when there was nothing to do (empty book, or already screened against the latest
    /// publications).
    pub up_to_date: bool,
    /// Where the time went.
    pub timings: Timings,
}

impl MonitorReport {
    /// Adds what another run (a catch-up before an add) did.
    fn absorb(&mut self, other: MonitorReport) {
        self.changed_entities += other.changed_entities;
        self.delisted_entities += other.delisted_entities;
        self.full_lists.extend(other.full_lists);
        self.customers_screened += other.customers_screened;
        self.raised.extend(other.raised);
        self.refreshed += other.refreshed;
        self.closed += other.closed;
        self.suppressed += other.suppressed;
        self.refiled += other.refiled;
    }
}

/// Files the whole book afresh when it was filed otherwise than this build files customers
/// ([`book::filing`]): retrieval must not rely on terms, keys or initials an older build did
/// not file. `index` gives the weights (the current lists; none without lists). One
/// transaction of its own, with an audit entry; the monitoring state does not move.
fn refile_if_stale(
    registry: &mut Registry,
    index: Option<&MatchIndex>,
    report: &mut MonitorReport,
) -> Result<(), ScreeningError> {
    let filing = book::filing();
    let filed_by = registry.book_filing()?;
    if filed_by.as_deref() == Some(filing.as_str()) || registry.book_is_empty()? {
        return Ok(());
    }
    let t = Instant::now();
    let customers: Vec<Customer> = registry
        .customers()?
        .into_iter()
        .map(|c| c.customer)
        .collect();
    let (filed, terms) = book::file(&customers, index);
    let state = registry.monitor_state()?;
    let audit = json!({
        "customers": customers.len(),
        "filed_as": filed_by,
        "now_filed_as": filing,
    });
    let book = BookUpdate {
        upsert: filed,
        terms,
        remove: Vec::new(),
        source: Some("filed afresh (filed by an older build)".into()),
        refile: true,
        filing: Some(filing),
    };
    let mut refiled = MonitorReport::default();
    write(
        registry,
        &mut refiled,
        Plan::default(),
        book,
        state.clone(),
        state,
        "monitor.refile",
        audit,
    )?;
    report.refiled += customers.len();
    report.timings.write += t.elapsed();
    Ok(())
}

/// The current lists: entities as stored (their record hashes are what alerts keep), their
/// publications, and the screening index over them.
struct Lists {
    entities: Vec<Entity>,
    by_key: HashMap<(String, String), usize>,
    publications: Vec<PublicationInfo>,
    index: MatchIndex,
}

impl Lists {
    /// The latest publication of every list (those in `known` as given), plus `extra`
    /// entities not on any (notices).
    fn load(
        registry: &Registry,
        extra: &[Entity],
        known: &[(PublicationId, &[Entity])],
    ) -> Result<Option<Lists>, ScreeningError> {
        let (mut entities, publications) = match latest_entities_with(registry, None, known) {
            Ok(found) => found,
            Err(ScreeningError::NoLists { .. }) if extra.is_empty() => return Ok(None),
            Err(ScreeningError::NoLists { .. }) => (Vec::new(), Vec::new()),
            Err(e) => return Err(e),
        };
        let mut by_key = Lists::keys_of(&entities);
        for e in extra {
            let key = (e.list.clone(), e.id.clone());
            match by_key.get(&key) {
                Some(&i) => entities[i] = e.clone(),
                None => {
                    by_key.insert(key, entities.len());
                    entities.push(e.clone());
                }
            }
        }
        Ok(Some(Lists::with_index(entities, by_key, publications)))
    }

    /// The lists of `entities` (found by `by_key`), with their screening index.
    fn with_index(
        entities: Vec<Entity>,
        by_key: HashMap<(String, String), usize>,
        publications: Vec<PublicationInfo>,
    ) -> Lists {
        let index = index_of(&entities);
        Lists {
            entities,
            by_key,
            publications,
            index,
        }
    }

    /// Where each entity is in `entities`, by `(list, id)` (the last one, should a key repeat).
    fn keys_of<'a>(
        entities: impl IntoIterator<Item = &'a Entity>,
    ) -> HashMap<(String, String), usize> {
        entities
            .into_iter()
            .enumerate()
            .map(|(i, e)| ((e.list.clone(), e.id.clone()), i))
            .collect()
    }

    fn entity(&self, list: &str, id: &str) -> Option<&Entity> {
        self.by_key
            .get(&(list.to_string(), id.to_string()))
            .map(|&i| &self.entities[i])
    }

    fn publication(&self, list: &str) -> Option<PublicationId> {
        self.publications
            .iter()
            .find(|p| p.list.as_str() == list)
            .map(|p| p.id)
    }

    fn state(&self) -> BTreeMap<ListId, PublicationId> {
        self.publications.iter().map(|p| (p.list, p.id)).collect()
    }
}

/// What an update needs of the lists other than the one being ingested, read before the
/// ingest: with the ingested entities, enough to build the lists' screening index on another
/// thread while the publication is stored ([`ListsBasis::build`]).
pub struct ListsBasis {
    list: ListId,
    others: Vec<(PublicationInfo, Vec<Entity>)>,
    notices: Vec<Entity>,
}

/// The lists' screening index built ahead of an update ([`update_prepared`]): the latest
/// publication of every list, the ingested one included, and the notice entities. The
/// ingested entities themselves join it once stored ([`PreparedLists::stored_as`]): the
/// index is built over them where they are, not over a copy.
pub struct PreparedLists {
    list: ListId,
    lists: Lists,
    /// Where the ingested entities go in `lists.entities` (the order [`Lists::load`] uses).
    fresh_at: usize,
    /// Built from scratch, or from a cached index more than 2% behind: worth writing to the
    /// cache.
    cache_stale: bool,
}

impl ListsBasis {
    /// Reads the latest publication of every list but `list` (the one about to be ingested)
    /// and the notice entities, as [`Lists::load`] would.
    pub fn read(registry: &Registry, list: ListId) -> Result<ListsBasis, ScreeningError> {
        let mut others = Vec::new();
        for l in ListId::ALL {
            if l == list {
                continue;
            }
            if let Some(p) = registry.latest_publication(l, None)? {
                let entities = registry.entities(p.id)?;
                others.push((p, entities));
            }
        }
        let notices = crate::NoticeSet::from_registry(registry, None)?.entities();
        Ok(ListsBasis {
            list,
            others,
            notices,
        })
    }

    /// The publications of the other lists it holds (the ingested one joins them once stored):
    /// what [`IndexBase::plan`] compares the cached index with.
    pub fn publications(&self) -> Vec<PublicationInfo> {
        self.others.iter().map(|(p, _)| p.clone()).collect()
    }

    /// Builds the index of the lists once `fresh` (the entities of a publication of the
    /// basis's list) is the latest of its list: over the same entities in the same order as
    /// [`Lists::load`] after the ingest, so the index is the one it would build. Pure: runs on
    /// any thread. Hand the same entities to [`PreparedLists::stored_as`].
    pub fn build(self, fresh: &[Entity]) -> PreparedLists {
        self.assemble(fresh, |all| (index_of_refs(all), true))
    }

    /// [`build`](Self::build), taking from `base` (the cached index of earlier lists) every
    /// entity `reuse` says it holds unchanged ([`IndexBase::rebuild`]): the same index, made
    /// in a fraction of the time. `reuse` is planned once the ingested publication is stored
    /// ([`IndexBase::plan`]), against [`publications`](Self::publications) and the stored one.
    pub fn rebuild(self, fresh: &[Entity], base: IndexBase, reuse: &Reuse) -> PreparedLists {
        self.assemble(fresh, |all| {
            let analysed = all.iter().filter(|e| !reuse.unchanged(e)).count();
            // A base more than 2% behind is replaced by today's index: rebuilds cost in
            // proportion to what they analyse, and so does the diff that plans them.
            let stale = analysed * 50 > all.len();
            (base.rebuild(all, reuse), stale)
        })
    }

    /// The lists with the index `index` makes of them (and whether the cache file should get
    /// it).
    fn assemble(
        self,
        fresh: &[Entity],
        index: impl FnOnce(&[&Entity]) -> (MatchIndex, bool),
    ) -> PreparedLists {
        // Room for the fresh entities too: they are spliced in once stored.
        let room = self.others.iter().map(|(_, e)| e.len()).sum::<usize>()
            + fresh.len()
            + self.notices.len();
        let mut entities: Vec<Entity> = Vec::with_capacity(room);
        let mut publications = Vec::new();
        let mut fresh_at = 0;
        let mut others = self.others.into_iter().peekable();
        for l in ListId::ALL {
            if l == self.list {
                fresh_at = entities.len();
            } else if others.peek().is_some_and(|(p, _)| p.list == l) {
                if let Some((p, e)) = others.next() {
                    entities.extend(e);
                    publications.push(p);
                }
            }
        }
        entities.extend(self.notices);
        let all: Vec<&Entity> = entities[..fresh_at]
            .iter()
            .chain(fresh)
            .chain(&entities[fresh_at..])
            .collect();
        let (index, cache_stale) = index(&all);
        let by_key = Lists::keys_of(all.iter().copied());
        PreparedLists {
            list: self.list,
            lists: Lists {
                entities,
                by_key,
                publications,
                index,
            },
            fresh_at,
            cache_stale,
        }
    }
}

impl PreparedLists {
    /// Completes the lists with the entities the basis was built with (`fresh`, moved in, not
    /// copied) and the publication the ingest stored them as (its id and date are known only
    /// once stored).
    pub fn stored_as(mut self, publication: PublicationInfo, fresh: Vec<Entity>) -> PreparedLists {
        let at = self.fresh_at;
        self.lists.entities.splice(at..at, fresh);
        self.lists.publications.retain(|p| p.list != self.list);
        self.lists.publications.push(publication);
        self.lists
            .publications
            .sort_by_key(|p| ListId::ALL.iter().position(|l| *l == p.list));
        self
    }

    /// True when the index was built from scratch, or from a cached index more than 2% behind
    /// (in entities analysed again): worth
    /// writing to the index cache ([`save_index_cache`](Self::save_index_cache)), which later
    /// updates and screens build from.
    pub fn index_cache_stale(&self) -> bool {
        self.cache_stale
    }

    /// Writes the index to the registry's index cache file: see [`crate::index_cache`].
    pub fn save_index_cache(&self, registry: &Registry) -> std::io::Result<()> {
        let notices: Vec<Entity> = self
            .lists
            .entities
            .iter()
            .filter(|e| e.list == ListId::Notice.as_str())
            .cloned()
            .collect();
        crate::index_cache::save(
            registry,
            &self.lists.publications,
            &notices,
            &self.lists.index,
        )
    }

    /// True when it was built from exactly the `latest` publications.
    fn describes(&self, latest: &[PublicationInfo]) -> bool {
        let ids = |ps: &[PublicationInfo]| {
            let mut v: Vec<(ListId, PublicationId)> = ps.iter().map(|p| (p.list, p.id)).collect();
            v.sort();
            v
        };
        ids(&self.lists.publications) == ids(latest)
    }
}

/// A monitoring state (the publication of each list the book was screened against) as the
/// audit log records it.
fn state_json(state: &BTreeMap<ListId, PublicationId>) -> Vec<serde_json::Value> {
    state
        .iter()
        .map(|(l, p)| json!({"list": l.as_str(), "publication": p.0}))
        .collect()
}

/// Alerts a run will write.
#[derive(Default)]
struct Plan {
    raise: Vec<NewAlert>,
    refresh: Vec<(AlertId, NewAlert)>,
    close: Vec<(AlertId, CloseReason)>,
    suppressed: usize,
    record_hashes: HashMap<(String, String), ContentHash>,
}

impl Plan {
    /// Decides what a pair scoring at or above the threshold leads to (see the module docs).
    fn pair(&mut self, registry: &Registry, found: NewAlert) -> Result<(), ScreeningError> {
        let latest = registry.latest_alert(&found.customer, &found.list, &found.entity_id)?;
        match latest {
            None => self.raise.push(found),
            Some(a) if a.status.is_pending() => {
                let same = a.found.customer_hash == found.customer_hash
                    && a.found.record_hash == found.record_hash
                    && a.found.score == found.score
                    && a.found.matched_name == found.matched_name;
                if !same {
                    self.refresh.push((a.id, found));
                }
            }
            Some(a)
                if a.status.is_verdict()
                    && a.found.customer_hash == found.customer_hash
                    && a.found.record_hash == found.record_hash =>
            {
                self.suppressed += 1;
            }
            Some(_) => self.raise.push(found),
        }
        Ok(())
    }

    fn close(&mut self, alerts: impl IntoIterator<Item = Alert>, reason: CloseReason) {
        let closing: HashSet<AlertId> = self.close.iter().map(|c| c.0).collect();
        self.close.extend(
            alerts
                .into_iter()
                .filter(|a| a.status.is_pending() && !closing.contains(&a.id))
                .map(|a| (a.id, reason)),
        );
    }

    /// The alert a match is, for a customer of the book.
    fn found(
        &mut self,
        lists: &Lists,
        customer: &Customer,
        customer_hash: ContentHash,
        m: &Match,
        trigger: Trigger,
    ) -> Result<Option<NewAlert>, ScreeningError> {
        let Some(entity) = lists.entity(&m.list, &m.id) else {
            return Ok(None);
        };
        let key = (m.list.clone(), m.id.clone());
        let record = match self.record_hashes.get(&key) {
            Some(h) => *h,
            None => {
                let h = record_hash(entity)?;
                self.record_hashes.insert(key, h);
                h
            }
        };
        Ok(Some(NewAlert {
            customer: customer.id.clone(),
            customer_name: customer.name.clone(),
            customer_hash,
            list: m.list.clone(),
            entity_id: m.id.clone(),
            entity_name: m.name.clone(),
            matched_name: m.matched_name.clone(),
            record_hash: record,
            score: m.score,
            explanation: serde_json::to_value(&m.explanation).unwrap_or(json!(null)),
            trigger,
            publication: lists.publication(&m.list),
        }))
    }
}

/// Screens customers against the lists, on all cores: per customer, its matches.
fn screen_all(
    index: &MatchIndex,
    customers: &[&Customer],
    options: &SearchOptions,
) -> Vec<Vec<Match>> {
    customers
        .par_iter()
        .with_min_len(64)
        .map(|c| match book::query_of(c) {
            Ok(q) => index.search(&q, options),
            // Customers are validated when added; a row stored by an older interdict that no
            // longer validates is not screened rather than failing the run.
            Err(_) => Vec::new(),
        })
        .collect()
}

/// Reads a customer file (CSV or JSON lines, the rows of `screen --input`) and adds its
/// customers to the book: see [`add_customers`]. Rows that cannot be taken are reported in
/// [`MonitorReport::rejected`], and the others are added.
pub fn add_file(
    registry: &mut Registry,
    input: &Path,
    options: &MonitorOptions,
) -> Result<MonitorReport, ScreeningError> {
    let (customers, rejected) = read_customers(input)?;
    let source = input.display().to_string();
    let mut report = add_customers(registry, customers, Some(&source), options)?;
    report.rejected = rejected;
    Ok(report)
}

/// Adds customers to the book, or replaces those whose id is in it; new and changed ones are
/// screened against the current lists and alerts raised (unchanged ones are left alone).
///
/// The existing book is first brought up to the latest publications ([`update`], its own
/// transaction); then the customers, their alerts and the new state are one transaction.
pub fn add_customers(
    registry: &mut Registry,
    customers: Vec<Customer>,
    source: Option<&str>,
    options: &MonitorOptions,
) -> Result<MonitorReport, ScreeningError> {
    let start = Instant::now();
    let mut report = MonitorReport::default();
    let catch_up = update(registry, options)?;
    report.absorb(catch_up);

    let hashes = registry.customer_hashes()?;
    let mut todo: Vec<(Customer, ContentHash, bool)> = Vec::new();
    for c in customers {
        let hash = c.hash();
        match hashes.get(&c.id) {
            Some(h) if *h == hash => report.unchanged += 1,
            Some(_) => todo.push((c, hash, true)),
            None => todo.push((c, hash, false)),
        }
    }
    let expected_state = registry.monitor_state()?;

    let t = Instant::now();
    let lists = Lists::load(registry, &[], &[])?;
    report.timings.lists = t.elapsed();
    // The book is stamped as filed by this build below: what it holds must be so first.
    refile_if_stale(registry, lists.as_ref().map(|l| &l.index), &mut report)?;

    let t = Instant::now();
    let refs: Vec<&Customer> = todo.iter().map(|(c, _, _)| c).collect();
    let (filed, terms) = book::file(
        &todo.iter().map(|t| t.0.clone()).collect::<Vec<_>>(),
        lists.as_ref().map(|l| &l.index),
    );
    let mut plan = Plan::default();
    if let Some(lists) = &lists {
        let matches = screen_all(&lists.index, &refs, &options.search);
        report.customers_screened = refs.len();
        for ((customer, hash, existed), matches) in todo.iter().zip(&matches) {
            let mut matched: HashSet<(String, String)> = HashSet::new();
            for m in matches {
                if let Some(found) = plan.found(lists, customer, *hash, m, Trigger::Customer)? {
                    matched.insert((m.list.clone(), m.id.clone()));
                    plan.pair(registry, found)?;
                }
            }
            if *existed {
                let stale = registry
                    .pending_alerts_of_customer(&customer.id)?
                    .into_iter()
                    .filter(|a| {
                        !matched.contains(&(a.found.list.clone(), a.found.entity_id.clone()))
                    });
                plan.close(stale, CloseReason::CustomerChanged);
            }
        }
    }
    report.timings.screening = t.elapsed();

    let state = match &lists {
        Some(l) => l.state(),
        None => expected_state.clone(),
    };
    let audit = json!({
        "source": source,
        "customers": todo.len() + report.unchanged,
        "new_or_changed": todo.len(),
        "raised": plan.raise.len(),
        "closed": plan.close.len(),
        "screened_against": state_json(&state),
    });
    let book = BookUpdate {
        upsert: filed,
        terms,
        remove: Vec::new(),
        source: source.map(String::from),
        refile: false,
        filing: Some(book::filing()),
    };
    write(
        registry,
        &mut report,
        plan,
        book,
        expected_state,
        state,
        "monitor.add",
        audit,
    )?;
    report.publications = lists.map(|l| l.publications).unwrap_or_default();
    report.timings.total = start.elapsed();
    Ok(report)
}

/// Removes customers from the book (ids not in it are ignored) and closes their pending
/// alerts; decided alerts stay as they are.
pub fn remove_customers(
    registry: &mut Registry,
    ids: &[String],
) -> Result<MonitorReport, ScreeningError> {
    let start = Instant::now();
    let mut report = MonitorReport::default();
    let mut plan = Plan::default();
    for id in ids {
        plan.close(
            registry.pending_alerts_of_customer(id)?,
            CloseReason::CustomerRemoved,
        );
    }
    let state = registry.monitor_state()?;
    let audit = json!({ "customers": ids, "closed": plan.close.len() });
    let book = BookUpdate {
        remove: ids.to_vec(),
        ..BookUpdate::default()
    };
    write(
        registry,
        &mut report,
        plan,
        book,
        state.clone(),
        state,
        "monitor.remove",
        audit,
    )?;
    report.timings.total = start.elapsed();
    Ok(report)
}

/// Brings the book up to the latest publication of every list: screens the entities added or
/// changed since the book was last screened against the book, closes pending alerts of
/// delisted entities, and moves the state. Nothing happens for an empty book or when the book
/// is up to date (`up_to_date` in the report). Call it after every ingest.
pub fn update(
    registry: &mut Registry,
    options: &MonitorOptions,
) -> Result<MonitorReport, ScreeningError> {
    update_with(registry, options, &[])
}

/// [`update`], given the entities of publications the caller holds (those it just ingested),
/// which are then not read back from the registry.
pub fn update_with(
    registry: &mut Registry,
    options: &MonitorOptions,
    known: &[(PublicationId, &[Entity])],
) -> Result<MonitorReport, ScreeningError> {
    update_prepared(registry, options, known, None)
}

/// [`update_with`], with the lists' screening index built ahead ([`PreparedLists`]): an
/// ingest builds it while it stores the publication, so that the update does not wait for it.
/// A prepared index that does not describe the registry's latest publications (another
/// publication was ingested meanwhile, or the one ingested is not the newest of its list) is
/// dropped and the index built anew, so the result is the same either way.
pub fn update_prepared(
    registry: &mut Registry,
    options: &MonitorOptions,
    known: &[(PublicationId, &[Entity])],
    prepared: Option<PreparedLists>,
) -> Result<MonitorReport, ScreeningError> {
    UpdateStart::read(registry, options)?.finish(registry, options, known, prepared.as_ref())
}

/// The first half of an [`update`], which needs no index of the lists: what changed since the
/// book was last screened, the pending alerts of delisted entities, and every lookup in the
/// book that retrieval will make for the changed entities. An ingest reads it right after
/// storing a publication, while the lists' index is still being built on another thread, and
/// [`finish`](Self::finish)es the update once the index is there.
pub struct UpdateStart {
    state: BTreeMap<ListId, PublicationId>,
    latest: Vec<PublicationInfo>,
    changed: Vec<Entity>,
    /// The changed entities screened through retrieval: those of lists not screened whole.
    delta: Vec<Entity>,
    delisted: usize,
    full_lists: Vec<ListId>,
    plan: Plan,
    /// False when the book is empty or already screened against the latest publications.
    todo: bool,
    /// The book lookups of the changed entities (none when the book is about to be filed
    /// afresh, which changes its terms).
    prefetched: Option<retrieve::Prefetched>,
    /// Time spent reading what changed, and in the book lookups.
    timings: (Duration, Duration),
}

impl UpdateStart {
    /// Reads what changed since the book was last screened (in one read transaction); of
    /// `options`, the fraction of a list beyond which it is screened whole.
    pub fn read(
        registry: &Registry,
        options: &MonitorOptions,
    ) -> Result<UpdateStart, ScreeningError> {
        registry.reading(|registry| UpdateStart::read_in(registry, options))
    }

    fn read_in(
        registry: &Registry,
        options: &MonitorOptions,
    ) -> Result<UpdateStart, ScreeningError> {
        let t = Instant::now();
        let state = registry.monitor_state()?;
        let mut start = UpdateStart {
            state,
            latest: Vec::new(),
            changed: Vec::new(),
            delta: Vec::new(),
            delisted: 0,
            full_lists: Vec::new(),
            plan: Plan::default(),
            todo: false,
            prefetched: None,
            timings: (Duration::ZERO, Duration::ZERO),
        };
        if registry.book_is_empty()? {
            return Ok(start);
        }
        start.latest = latest_publications(registry, None)?;
        let latest_state: BTreeMap<ListId, PublicationId> =
            start.latest.iter().map(|p| (p.list, p.id)).collect();
        if latest_state == start.state {
            return Ok(start);
        }
        start.todo = true;
        let mut delisted: Vec<Entity> = Vec::new();
        for p in &start.latest {
            match start.state.get(&p.list) {
                Some(&prev) if prev == p.id => {}
                Some(&prev) => {
                    let d = registry.diff(prev, p.id)?;
                    let n = d.added.len() + d.changed.len();
                    if n as f64 > options.full_screen_fraction * p.entity_count.max(1) as f64 {
                        start.full_lists.push(p.list);
                    }
                    start.changed.extend(d.added);
                    start
                        .changed
                        .extend(d.changed.into_iter().map(|c| c.entity));
                    delisted.extend(d.removed);
                }
                None => start.full_lists.push(p.list),
            }
        }
        for e in &delisted {
            start.plan.close(
                registry.pending_alerts_of_entity(&e.list, &e.id)?,
                CloseReason::Delisted,
            );
        }
        start.delisted = delisted.len();
        let full = &start.full_lists;
        start.delta = start
            .changed
            .iter()
            .filter(|e| !full.iter().any(|l| l.as_str() == e.list))
            .cloned()
            .collect();
        start.timings.0 = t.elapsed();
        // The book's lookups, unless the book is about to be filed afresh.
        let t = Instant::now();
        let filed_as_today = registry.book_filing()?.as_deref() == Some(book::filing().as_str());
        if filed_as_today && !start.delta.is_empty() {
            start.prefetched = Some(retrieve::prefetch(registry, &start.delta)?);
        }
        start.timings.1 = t.elapsed();
        Ok(start)
    }

    /// Screens the book against what changed and writes the run (see [`update`]), with the
    /// lists' index `prepared` ahead if it describes the latest publications (else built
    /// now; `known` are entities of publications the caller holds, as for [`update_with`]).
    /// The prepared lists stay the caller's, to free when it suits it.
    /// Fails with [`MonitorStale`](interdict_registry::RegistryError::MonitorStale) if
    /// another run moved the monitoring state since [`read`](Self::read).
    pub fn finish(
        self,
        registry: &mut Registry,
        options: &MonitorOptions,
        known: &[(PublicationId, &[Entity])],
        prepared: Option<&PreparedLists>,
    ) -> Result<MonitorReport, ScreeningError> {
        let start = Instant::now();
        let mut report = MonitorReport::default();
        let UpdateStart {
            state,
            latest,
            mut changed,
            delta,
            delisted,
            full_lists,
            mut plan,
            todo,
            mut prefetched,
            timings,
        } = self;
        if !todo {
            report.up_to_date = true;
            report.publications = latest;
            return Ok(report);
        }
        let latest_state: BTreeMap<ListId, PublicationId> =
            latest.iter().map(|p| (p.list, p.id)).collect();
        report.full_lists = full_lists;
        report.delisted_entities = delisted;
        let t = Instant::now();
        if changed.is_empty() && report.full_lists.is_empty() {
            // Only delistings: nothing to screen, no index of the lists to build.
            let audit = json!({
                "from": state_json(&state),
                "to": state_json(&latest_state),
                "changed_entities": 0,
                "delisted_entities": delisted,
                "closed": plan.close.len(),
            });
            report.timings.lists = timings.0 + t.elapsed();
            write(
                registry,
                &mut report,
                plan,
                BookUpdate::default(),
                state,
                latest_state,
                "monitor.update",
                audit,
            )?;
            report.publications = latest;
            report.timings.total = timings.0 + timings.1 + start.elapsed();
            return Ok(report);
        }
        let loaded;
        let lists = match prepared.filter(|p| p.describes(&latest)) {
            Some(p) => &p.lists,
            None => {
                loaded = Lists::load(registry, &[], known)?
                    .ok_or(ScreeningError::NoLists { as_of: None })?;
                &loaded
            }
        };
        for list in &report.full_lists {
            if !state.contains_key(list) {
                changed.extend(
                    lists
                        .entities
                        .iter()
                        .filter(|e| e.list == list.as_str())
                        .cloned(),
                );
            }
        }
        report.timings.lists = timings.0 + t.elapsed();
        let refiled = report.refiled;
        refile_if_stale(registry, Some(&lists.index), &mut report)?;
        if report.refiled != refiled {
            // Filed afresh: the lookups made before are of the old filing.
            prefetched = None;
        }

        // Entities of lists never screened, added above, are in `full_lists`: not in `delta`.
        screen_changes(
            registry,
            lists,
            &changed,
            &delta,
            !report.full_lists.is_empty(),
            (Trigger::Ingest, CloseReason::EntityChanged),
            options,
            prefetched,
            &mut plan,
            &mut report,
        )?;
        report.timings.retrieval += timings.1;
        report.changed_entities = changed.len();

        let audit = json!({
            "from": state_json(&state),
            "to": state_json(&latest_state),
            "changed_entities": changed.len(),
            "delisted_entities": delisted,
            "full_lists": report.full_lists.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
            "customers_screened": report.customers_screened,
            "raised": plan.raise.len(),
            "refreshed": plan.refresh.len(),
            "closed": plan.close.len(),
        });
        write(
            registry,
            &mut report,
            plan,
            BookUpdate::default(),
            state,
            latest_state,
            "monitor.update",
            audit,
        )?;
        report.publications = lists.publications.clone();
        report.timings.total = timings.0 + timings.1 + start.elapsed();
        Ok(report)
    }
}

/// Screens the book against entities that changed outside list publications — the entities a
/// designation notice announces — as [`update`] screens a list's changed entities, and closes
/// pending alerts of `withdrawn` entities (`(list, id)`). The monitoring state is not moved.
/// Alerts carry `trigger` and, where the entity's list has a publication, that publication.
pub fn screen_entities(
    registry: &mut Registry,
    changed: &[Entity],
    withdrawn: &[(String, String)],
    trigger: Trigger,
    options: &MonitorOptions,
) -> Result<MonitorReport, ScreeningError> {
    let start = Instant::now();
    let mut report = MonitorReport::default();
    if registry.book_is_empty()? {
        report.up_to_date = true;
        return Ok(report);
    }
    let state = registry.monitor_state()?;
    let t = Instant::now();
    let lists =
        Lists::load(registry, changed, &[])?.ok_or(ScreeningError::NoLists { as_of: None })?;
    report.timings.lists = t.elapsed();
    refile_if_stale(registry, Some(&lists.index), &mut report)?;
    let mut plan = Plan::default();
    for (list, id) in withdrawn {
        plan.close(
            registry.pending_alerts_of_entity(list, id)?,
            CloseReason::Delisted,
        );
    }
    screen_changes(
        registry,
        &lists,
        changed,
        changed,
        false,
        (trigger, CloseReason::EntityChanged),
        options,
        None,
        &mut plan,
        &mut report,
    )?;
    report.changed_entities = changed.len();
    report.delisted_entities = withdrawn.len();
    let audit = json!({
        "entities": changed.iter().map(|e| e.key()).collect::<Vec<_>>(),
        "withdrawn": withdrawn.iter().map(|(l, i)| format!("{l}:{i}")).collect::<Vec<_>>(),
        "customers_screened": report.customers_screened,
        "raised": plan.raise.len(),
        "refreshed": plan.refresh.len(),
        "closed": plan.close.len(),
    });
    let kind = format!("monitor.{}", trigger.as_str());
    write(
        registry,
        &mut report,
        plan,
        BookUpdate::default(),
        state.clone(),
        state,
        &kind,
        audit,
    )?;
    report.publications = lists.publications;
    report.timings.total = start.elapsed();
    Ok(report)
}

/// Screens the whole book against the current lists and reconciles the alerts with the
/// result: each pair a full screen finds is raised (unless decided on the same records) or, if
/// pending, refreshed; pending alerts it no longer finds are closed (`no_longer_matches`, or
/// `delisted` when the entity is gone). The state moves to the latest publications.
///
/// Delta runs cannot see scores drift across the threshold (see the module docs); this is the
/// cost of a full screen of the book, run now and then.
pub fn rescreen(
    registry: &mut Registry,
    options: &MonitorOptions,
) -> Result<MonitorReport, ScreeningError> {
    let start = Instant::now();
    let mut report = MonitorReport::default();
    if registry.book_is_empty()? {
        report.up_to_date = true;
        return Ok(report);
    }
    let t = Instant::now();
    let lists = Lists::load(registry, &[], &[])?.ok_or(ScreeningError::NoLists { as_of: None })?;
    report.timings.lists = t.elapsed();
    refile_if_stale(registry, Some(&lists.index), &mut report)?;
    let state = registry.monitor_state()?;
    let mut plan = Plan::default();
    let gone: Vec<Alert> = [AlertStatus::Open, AlertStatus::Escalated]
        .into_iter()
        .map(|s| registry.alerts(Some(s)))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .filter(|a| lists.entity(&a.found.list, &a.found.entity_id).is_none())
        .collect();
    report.delisted_entities = gone.len();
    plan.close(gone, CloseReason::Delisted);
    let all = lists.entities.clone();
    screen_changes(
        registry,
        &lists,
        &all,
        &[],
        true,
        (Trigger::Rescreen, CloseReason::NoLongerMatches),
        options,
        None,
        &mut plan,
        &mut report,
    )?;
    report.full_lists = lists.publications.iter().map(|p| p.list).collect();
    let state_now = lists.state();
    let audit = json!({
        "screened_against": state_json(&state_now),
        "customers_screened": report.customers_screened,
        "raised": plan.raise.len(),
        "refreshed": plan.refresh.len(),
        "closed": plan.close.len(),
    });
    write(
        registry,
        &mut report,
        plan,
        BookUpdate::default(),
        state,
        state_now,
        "monitor.rescreen",
        audit,
    )?;
    report.publications = lists.publications;
    report.timings.total = start.elapsed();
    Ok(report)
}

/// The heart of a delta run: finds the customers that `delta` entities may be (or, with
/// `whole_book`, takes every customer), screens them, and plans alerts for their matches with
/// `changed` entities, raised with the trigger of `how`; pending alerts on changed entities
/// whose pair no longer matches are closed, with the reason of `how`.
#[allow(clippy::too_many_arguments)]
fn screen_changes(
    registry: &Registry,
    lists: &Lists,
    changed: &[Entity],
    delta: &[Entity],
    whole_book: bool,
    how: (Trigger, CloseReason),
    options: &MonitorOptions,
    prefetched: Option<retrieve::Prefetched>,
    plan: &mut Plan,
    report: &mut MonitorReport,
) -> Result<(), ScreeningError> {
    registry.reading(|registry| {
        screen_changes_in(
            registry, lists, changed, delta, whole_book, how, options, prefetched, plan, report,
        )
    })
}

/// [`screen_changes`] inside one read transaction.
#[allow(clippy::too_many_arguments)]
fn screen_changes_in(
    registry: &Registry,
    lists: &Lists,
    changed: &[Entity],
    delta: &[Entity],
    whole_book: bool,
    how: (Trigger, CloseReason),
    options: &MonitorOptions,
    prefetched: Option<retrieve::Prefetched>,
    plan: &mut Plan,
    report: &mut MonitorReport,
) -> Result<(), ScreeningError> {
    let (trigger, stale_reason) = how;
    let t = Instant::now();
    let changed_keys: HashSet<(String, String)> = changed
        .iter()
        .map(|e| (e.list.clone(), e.id.clone()))
        .collect();
    let mut pending: Vec<Alert> = Vec::new();
    for e in changed {
        pending.extend(registry.pending_alerts_of_entity(&e.list, &e.id)?);
    }
    let customers: Vec<StoredCustomer> = if whole_book {
        registry.customers()?
    } else {
        let (mut refs, stats) = retrieve::candidates(
            registry,
            &lists.index,
            delta,
            options.search.threshold,
            prefetched,
        )?;
        report.retrieval = stats;
        let values: Vec<String> = delta
            .iter()
            .flat_map(|e| e.identifiers.iter())
            .filter_map(|i| normalize_identifier(&i.value))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        refs.extend(
            registry
                .book_identifiers(&values)?
                .into_iter()
                .map(|(_, c)| c),
        );
        let mut found = registry.customers_by_ref(&refs.into_iter().collect::<Vec<_>>())?;
        let known: HashSet<String> = found.iter().map(|c| c.customer.id.clone()).collect();
        let ids: BTreeSet<&str> = pending
            .iter()
            .map(|a| a.found.customer.as_str())
            .filter(|id| !known.contains(*id))
            .collect();
        for id in ids {
            found.extend(registry.customer(id)?);
        }
        found
    };
    report.timings.retrieval = t.elapsed();

    let t = Instant::now();
    let refs: Vec<&Customer> = customers.iter().map(|c| &c.customer).collect();
    let matches = screen_all(&lists.index, &refs, &options.search);
    report.customers_screened += refs.len();
    let mut matched: HashSet<(String, String, String)> = HashSet::new();
    for (c, matches) in customers.iter().zip(&matches) {
        for m in matches {
            let key = (m.list.clone(), m.id.clone());
            if !changed_keys.contains(&key) {
                continue;
            }
            if let Some(found) = plan.found(lists, &c.customer, c.hash, m, trigger)? {
                matched.insert((c.customer.id.clone(), key.0, key.1));
                plan.pair(registry, found)?;
            }
        }
    }
    let stale = pending.into_iter().filter(|a| {
        !matched.contains(&(
            a.found.customer.clone(),
            a.found.list.clone(),
            a.found.entity_id.clone(),
        ))
    });
    plan.close(stale, stale_reason);
    report.timings.screening = t.elapsed();
    Ok(())
}

/// Writes a run's plan, book changes and state as one registry transaction.
#[allow(clippy::too_many_arguments)]
fn write(
    registry: &mut Registry,
    report: &mut MonitorReport,
    plan: Plan,
    book: BookUpdate,
    expected_state: BTreeMap<ListId, PublicationId>,
    state: BTreeMap<ListId, PublicationId>,
    kind: &str,
    audit: serde_json::Value,
) -> Result<(), ScreeningError> {
    let t = Instant::now();
    report.suppressed += plan.suppressed;
    let applied = registry.apply_monitoring(&MonitorWrite {
        at: jiff::Timestamp::now(),
        expected_state,
        state,
        book,
        raise: plan.raise,
        refresh: plan.refresh,
        close: plan.close,
        audit: Some((kind.to_string(), audit)),
    })?;
    report.added += applied.added;
    report.updated += applied.updated;
    report.removed += applied.removed;
    report.raised.extend(applied.raised);
    report.refreshed += applied.refreshed;
    report.closed += applied.closed;
    report.timings.write = t.elapsed();
    Ok(())
}
