//! The state every handler shares: the registry file, a pool of connections to it, the
//! screening snapshot (swapped whole when the lists change), the API keys and the metrics.

use crate::auth::KeyTable;
use crate::metrics::Metrics;
use crate::{ApiError, ServerError};
use arc_swap::ArcSwap;
use interdict_matching::MatchIndex;
use interdict_model::Entity;
use interdict_registry::{PublicationInfo, Registry};
use interdict_screening::{NoticeAnnotation, NoticeAnnotations, NoticeSet};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Everything screening needs, built together from one read of the registry and never changed
/// afterwards: a newer registry state is a new `Snapshot`.
#[derive(Debug)]
pub struct Snapshot {
    /// The index of the latest publication of every list, plus the notices counted today.
    pub index: MatchIndex,
    /// The publications the index holds, one per list.
    pub publications: Vec<PublicationInfo>,
    /// The notices counted on [`NoticeSet::day`], for annotating notice matches.
    pub notices: NoticeSet,
    /// For each counted notice, what a match on it carries as `"notice"`: the day, the
    /// version, its designations with their status that day and its links resolved, as
    /// `interdict screen --json` gives it. Computed once per snapshot, so screening never goes
    /// back to the registry.
    pub annotations: NoticeAnnotations,
    /// Every entity screened, by `list:id`: what the index cannot give back (properties for
    /// yente-shaped answers, pages of the web UI).
    pub entities: HashMap<String, Entity>,
    /// What the registry held when this was built: a different marker means a rebuild.
    pub marker: RegistryMarker,
    /// When it was built.
    pub built_at: jiff::Timestamp,
}

/// What a snapshot depends on in the registry: the publications, the notice versions and the
/// day (notice statuses move with the date). Cheap to read, so the server can poll it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryMarker {
    /// Ids of every stored publication, in id order.
    pub publications: Vec<i64>,
    /// `(notice id, latest version)` of every notice.
    pub notices: Vec<(String, u32)>,
    /// The day notice statuses were computed for.
    pub day: jiff::civil::Date,
}

impl RegistryMarker {
    /// The marker of the registry as it is now.
    pub fn read(registry: &Registry) -> Result<RegistryMarker, interdict_registry::RegistryError> {
        let publications = registry
            .publications(None)?
            .into_iter()
            .map(|p| p.id.0)
            .collect();
        let notices = registry
            .notices(None)?
            .into_iter()
            .map(|v| (v.notice.id, v.version))
            .collect();
        Ok(RegistryMarker {
            publications,
            notices,
            day: interdict_screening::today(),
        })
    }
}

impl Snapshot {
    /// Builds the snapshot of the registry as it is now (CPU-bound: a few hundred
    /// milliseconds for the bundled lists; call it on a blocking thread).
    pub fn build(registry: &Registry) -> Result<Snapshot, ServerError> {
        Snapshot::build_as_of(registry, None)
    }

    /// The snapshot of the lists and notices as they stood on `as_of` (today when `None`):
    /// the latest publication of each list published by then, the notices counted by then and
    /// their statuses that day.
    pub fn build_as_of(
        registry: &Registry,
        as_of: Option<jiff::civil::Date>,
    ) -> Result<Snapshot, ServerError> {
        let marker = RegistryMarker::read(registry)?;
        // Today's lists through the index cache beside the registry: a restart, or a swap
        // after another process's ingest that already built it, loads instead of building.
        let (index, publications) = match as_of {
            None => interdict_screening::index_from_registry_cached(registry)
                .map(|(index, publications, _)| (index, publications))?,
            Some(_) => interdict_screening::index_from_registry(registry, as_of)?,
        };
        let notices = NoticeSet::from_registry(registry, as_of)?;
        let annotations = NoticeAnnotations::of(&notices, registry)?;
        let mut entities = HashMap::new();
        for p in &publications {
            for e in registry.entities(p.id)? {
                entities.insert(format!("{}:{}", e.list, e.id), e);
            }
        }
        for e in notices.entities() {
            entities.insert(format!("{}:{}", e.list, e.id), e);
        }
        Ok(Snapshot {
            entities,
            index,
            publications,
            notices,
            annotations,
            marker,
            built_at: jiff::Timestamp::now(),
        })
    }

    /// The annotation of a match on `list:id`: `Some` for notice entities only.
    pub fn annotation(&self, list: &str, id: &str) -> Option<&NoticeAnnotation> {
        self.annotations.get(list, id)
    }
}

/// The state handlers share (`State<AppState>`): cheap to clone, one per server.
#[derive(Clone, Debug)]
pub struct AppState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    registry_path: PathBuf,
    snapshot: ArcSwap<Snapshot>,
    keys: ArcSwap<KeyTable>,
    /// Whether requests without a key are served: only on a loopback address with no valid key
    /// in the registry (`auth.rs`).
    loopback: bool,
    metrics: Metrics,
    /// Open connections not in use. A connection is `Send` but not `Sync`: each request takes
    /// one out and puts it back.
    pool: Mutex<Vec<Registry>>,
    /// One rebuild at a time: two concurrent ones would build the same index twice.
    rebuilding: tokio::sync::Mutex<()>,
    /// Snapshots of past days asked for (`as_of`), the most recent use last; emptied when the
    /// current snapshot is swapped, since they were built from the registry it replaced.
    past: Mutex<Vec<(jiff::civil::Date, Arc<Snapshot>)>>,
    /// One past-day build at a time.
    building_past: tokio::sync::Mutex<()>,
}

/// Past-day snapshots kept: each holds an index (tens of MB for the bundled lists).
const PAST_SNAPSHOTS: usize = 3;

/// Connections kept open between requests; more are opened under load and dropped after.
const POOL_SIZE: usize = 8;

impl AppState {
    /// Opens the registry at `path` and builds the first snapshot, for a server on a loopback
    /// address (blocking: call it before serving or on a blocking thread).
    pub fn open(path: impl Into<PathBuf>) -> Result<AppState, ServerError> {
        AppState::open_for(path, true)
    }

    /// [`AppState::open`] for a server listening on a loopback address (`loopback`) or not:
    /// off loopback, every request but the health checks needs a key, even when none exists.
    pub fn open_for(path: impl Into<PathBuf>, loopback: bool) -> Result<AppState, ServerError> {
        let registry_path = path.into();
        let registry = Registry::open(&registry_path)?;
        let snapshot = Snapshot::build(&registry)?;
        let keys = KeyTable::read(&registry)?;
        let metrics = Metrics::new();
        metrics.observe_snapshot(&snapshot);
        Ok(AppState {
            inner: Arc::new(Inner {
                registry_path,
                snapshot: ArcSwap::from_pointee(snapshot),
                keys: ArcSwap::from_pointee(keys),
                loopback,
                metrics,
                pool: Mutex::new(vec![registry]),
                rebuilding: tokio::sync::Mutex::new(()),
                past: Mutex::new(Vec::new()),
                building_past: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// The registry file.
    pub fn registry_path(&self) -> &Path {
        &self.inner.registry_path
    }

    /// The current screening snapshot. Take it once per request and keep it: see the crate
    /// docs.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.inner.snapshot.load_full()
    }

    /// The snapshot for screening as of `day`: the current one for today or later, else one
    /// built for that day (on a blocking thread, a few hundred milliseconds) and kept for the
    /// next requests about the same day.
    pub async fn snapshot_as_of(&self, day: jiff::civil::Date) -> Result<Arc<Snapshot>, ApiError> {
        let current = self.snapshot();
        if day >= current.notices.day() {
            return Ok(current);
        }
        let cached = |state: &AppState| -> Option<Arc<Snapshot>> {
            let mut past = state.inner.past.lock().ok()?;
            let at = past.iter().position(|(d, _)| *d == day)?;
            let entry = past.remove(at);
            let snapshot = Arc::clone(&entry.1);
            past.push(entry);
            Some(snapshot)
        };
        if let Some(snapshot) = cached(self) {
            return Ok(snapshot);
        }
        let _one_at_a_time = self.inner.building_past.lock().await;
        if let Some(snapshot) = cached(self) {
            return Ok(snapshot);
        }
        let snapshot = self
            .read(move |registry| {
                Snapshot::build_as_of(registry, Some(day)).map_err(|e| match e {
                    ServerError::Screening(s) => ApiError::from(s),
                    other => ApiError::internal(other),
                })
            })
            .await
            .map(Arc::new)?;
        if let Ok(mut past) = self.inner.past.lock() {
            if past.len() >= PAST_SNAPSHOTS {
                past.remove(0);
            }
            past.push((day, Arc::clone(&snapshot)));
        }
        Ok(snapshot)
    }

    /// The API keys as last read from the registry.
    pub(crate) fn keys(&self) -> Arc<KeyTable> {
        self.inner.keys.load_full()
    }

    /// True when requests without a key are served (loopback, no key in the registry).
    pub fn is_open(&self) -> bool {
        self.inner.loopback && !self.keys().any_valid()
    }

    /// True when the registry holds at least one valid API key.
    pub fn has_keys(&self) -> bool {
        self.keys().any_valid()
    }

    /// The server's metrics.
    pub(crate) fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// Runs screening off the async runtime, on the runtime's blocking threads (bounded by
    /// [`run`](crate::run) to a few per core, so that load cannot multiply threads and their
    /// memory). A handoff to rayon's pool instead was measured slower under load
    /// (`docs/benchmarks.md`, "Server load"): its idle threads spin for work on cores the
    /// runtime needs.
    pub async fn compute<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        self.blocking(work).await
    }

    /// Runs blocking work (registry access, index builds) on a blocking thread.
    pub async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        tokio::task::spawn_blocking(work)
            .await
            .map_err(ApiError::internal)
    }

    /// Reads the registry on a blocking thread with a pooled connection.
    pub async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Registry) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        self.write(move |registry| work(registry)).await
    }

    /// Writes to the registry on a blocking thread with a pooled connection. Whoever changes
    /// what screening depends on (a publication, a notice) calls [`AppState::refresh`] after,
    /// and whoever changes keys [`AppState::reload_keys`].
    pub async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Registry) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let state = self.clone();
        self.blocking(move || {
            let mut registry = state.take_connection()?;
            let result = work(&mut registry);
            state.return_connection(registry);
            result
        })
        .await?
    }

    fn take_connection(&self) -> Result<Registry, ApiError> {
        let pooled = self
            .inner
            .pool
            .lock()
            .map_err(|_| ApiError::internal("registry pool poisoned"))?
            .pop();
        match pooled {
            Some(registry) => Ok(registry),
            None => Ok(Registry::open(&self.inner.registry_path)?),
        }
    }

    fn return_connection(&self, registry: Registry) {
        if let Ok(mut pool) = self.inner.pool.lock() {
            if pool.len() < POOL_SIZE {
                pool.push(registry);
            }
        }
    }

    /// Rebuilds the snapshot when the registry has changed since the current one was built
    /// (by this server or by another process: the command line), off the runtime, then swaps
    /// it in; requests holding the old snapshot finish on it. Returns whether it swapped.
    pub async fn refresh(&self) -> Result<bool, ApiError> {
        let _one_at_a_time = self.inner.rebuilding.lock().await;
        let current = self.snapshot();
        let rebuilt = self
            .read(move |registry| {
                if RegistryMarker::read(registry)? == current.marker {
                    return Ok(None);
                }
                Snapshot::build(registry)
                    .map(Some)
                    .map_err(ApiError::internal)
            })
            .await?;
        match rebuilt {
            Some(snapshot) => {
                self.inner.metrics.observe_snapshot(&snapshot);
                self.inner.snapshot.store(Arc::new(snapshot));
                if let Ok(mut past) = self.inner.past.lock() {
                    past.clear();
                }
                tracing::info!("screening snapshot rebuilt and swapped");
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Reads the API keys from the registry again (after a key was added or revoked here or by
    /// the command line).
    pub async fn reload_keys(&self) -> Result<(), ApiError> {
        let keys = self.read(|registry| Ok(KeyTable::read(registry)?)).await?;
        self.inner.keys.store(Arc::new(keys));
        Ok(())
    }

    /// Keeps the server in step with the registry: every `every`, and on `SIGHUP`, reloads
    /// the keys and rebuilds the snapshot if the registry changed. Runs until the process
    /// ends; errors are logged and retried at the next tick.
    pub async fn watch(self, every: std::time::Duration) {
        #[cfg(unix)]
        let mut hangup =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            #[cfg(unix)]
            {
                let hup = async {
                    match hangup.as_mut() {
                        Some(s) => {
                            s.recv().await;
                        }
                        None => std::future::pending::<()>().await,
                    }
                };
                tokio::select! {
                    _ = ticks.tick() => {},
                    () = hup => tracing::info!("SIGHUP: re-reading the registry"),
                }
            }
            #[cfg(not(unix))]
            ticks.tick().await;
            if let Err(e) = self.reload_keys().await {
                tracing::warn!("re-reading API keys: {e}");
            }
            if let Err(e) = self.refresh().await {
                tracing::warn!("rebuilding the screening snapshot: {e}");
            }
        }
    }
}
