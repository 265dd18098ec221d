//! The state every handler shares: the registry file, a pool of connections to it, and the
//! screening snapshot, swapped whole when the lists change.

use crate::{ApiError, ServerError};
use arc_swap::ArcSwap;
use interdict_matching::MatchIndex;
use interdict_registry::{PublicationInfo, Registry};
use interdict_screening::NoticeSet;
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
        let marker = RegistryMarker::read(registry)?;
        let (index, publications) = interdict_screening::index_from_registry(registry, None)?;
        let notices = NoticeSet::from_registry(registry, None)?;
        Ok(Snapshot {
            index,
            publications,
            notices,
            marker,
            built_at: jiff::Timestamp::now(),
        })
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
    /// Open connections not in use. A connection is `Send` but not `Sync`: each request takes
    /// one out and puts it back.
    pool: Mutex<Vec<Registry>>,
}

/// Connections kept open between requests; more are opened under load and dropped after.
const POOL_SIZE: usize = 8;

impl AppState {
    /// Opens the registry at `path` and builds the first snapshot (blocking: call it before
    /// serving or on a blocking thread).
    pub fn open(path: impl Into<PathBuf>) -> Result<AppState, ServerError> {
        let registry_path = path.into();
        let registry = Registry::open(&registry_path)?;
        let snapshot = Snapshot::build(&registry)?;
        Ok(AppState {
            inner: Arc::new(Inner {
                registry_path,
                snapshot: ArcSwap::from_pointee(snapshot),
                pool: Mutex::new(vec![registry]),
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

    /// Runs CPU-bound work on a blocking thread.
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
    /// what screening depends on (a publication, a notice) calls [`AppState::refresh`] after.
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

    /// Rebuilds the snapshot when the registry has changed since the current one was built,
    /// off the runtime, then swaps it in. Returns whether it swapped.
    pub async fn refresh(&self) -> Result<bool, ApiError> {
        let current = self.snapshot();
        let state = self.clone();
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
                state.inner.snapshot.store(Arc::new(snapshot));
                Ok(true)
            }
            None => Ok(false),
        }
    }
}
