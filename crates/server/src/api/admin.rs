//! Administration (admin role): ingesting a list publication and managing API keys.

use crate::auth::Caller;
use crate::extract::{JsonBody, PathParams, QueryParams};
use crate::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::Json;
use interdict_registry::{ApiKey, RegistryError, Role};
use interdict_sources::LoadOptions;
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use utoipa::{IntoParams, ToSchema};

/// Largest upload accepted by `POST /v1/ingest` (the OFAC XML of the SDN list is about
/// 100 MB uncompressed; send it gzipped).
pub const MAX_UPLOAD: usize = 256 << 20;

/// `POST /v1/ingest` parameters.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IngestParams {
    /// The file name of a raw body (`sdn.xml`, `consolidated.xml.gz`, `un-2026-02-27.xml`):
    /// the format is detected from the content and the name, and a date in the name is the
    /// publication date when the file carries none.
    pub filename: Option<String>,
    /// The publication date (`YYYY-MM-DD`), overriding what the files say.
    #[param(format = Date, value_type = Option<String>)]
    pub published: Option<String>,
}

/// A file name from a client, reduced to a plain name that cannot leave the upload directory.
fn safe_name(name: &str) -> Result<String, ApiError> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if base.is_empty() || base == "." || base == ".." || base.contains('\0') {
        return Err(ApiError::bad_request(format!(
            "file name {name:?} is not usable"
        )));
    }
    Ok(base.to_string())
}

/// Ingests a list publication (admin role): one file as the raw body (`?filename=`), or
/// several as `multipart/form-data` (the OFAC CSV set: `sdn.csv`, `alt.csv`, `add.csv`,
/// `sdn_comments.csv`), gzip accepted. The publication is stored (one transaction; the same
/// files twice is a no-op), the customer book is screened against what changed, and the
/// screening snapshot is rebuilt and swapped before the answer; requests in flight finish on
/// the previous one.
#[utoipa::path(post, path = "/v1/ingest", tag = "administration", params(IngestParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "A list file (or multipart/form-data with several)"),
    responses((status = 200, description = "Stored, or already in the registry", body = Object),
              (status = 403, description = "Not an admin key", body = crate::errors::ErrorBody),
              (status = 413, description = "Over 256 MiB", body = crate::errors::ErrorBody),
              (status = 422, description = "Not a list file, or malformed (file and position)", body = crate::errors::ErrorBody)),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn ingest(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(params): QueryParams<IngestParams>,
    request: Request,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Admin)?;
    let published = super::entities::date("published", params.published.as_deref())?;
    let dir = tempfile::Builder::new()
        .prefix("interdict-upload-")
        .tempdir()
        .map_err(ApiError::internal)?;
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let mut files: Vec<PathBuf> = Vec::new();
    if multipart {
        let mut form = Multipart::from_request(request, &())
            .await
            .map_err(|e| ApiError::bad_request(e.body_text()))?;
        while let Some(field) = form
            .next_field()
            .await
            .map_err(|e| ApiError::new(e.status(), "bad_upload", e.body_text()))?
        {
            let name = field
                .file_name()
                .map(str::to_string)
                .ok_or_else(|| ApiError::bad_request("every part needs a file name"))?;
            let name = safe_name(&name)?;
            let bytes = field
                .bytes()
                .await
                .map_err(|e| ApiError::new(e.status(), "bad_upload", e.body_text()))?;
            files.push(write(dir.path(), &name, &bytes)?);
        }
    } else {
        let name = safe_name(params.filename.as_deref().unwrap_or("upload"))?;
        let bytes = Bytes::from_request(request, &())
            .await
            .map_err(|e| ApiError::new(e.status(), "bad_upload", e.body_text()))?;
        files.push(write(dir.path(), &name, &bytes)?);
    }
    if files.is_empty()
        || files
            .iter()
            .all(|f| std::fs::metadata(f).is_ok_and(|m| m.len() == 0))
    {
        return Err(ApiError::bad_request("no file was uploaded"));
    }
    let path = if files.len() == 1 {
        files.remove(0)
    } else {
        dir.path().to_path_buf()
    };
    let answer = state
        .write(move |registry| {
            let publication =
                interdict_sources::load(&path, &LoadOptions { published }).map_err(|e| {
                    ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid_list_file",
                        e.to_string(),
                    )
                })?;
            let outcome = registry.ingest(&publication)?;
            let info = outcome.publication().clone();
            let fresh = [(info.id, publication.entities.as_slice())];
            let report =
                interdict_screening::monitor::update_with(registry, &Default::default(), &fresh)?;
            Ok(json!({
                "list": info.list.as_str(),
                "published": info.published.map(|d| d.to_string()),
                "publication_id": info.id.0,
                "new": outcome.is_new(),
                "entities": info.entity_count,
                "warnings": publication.warnings.len(),
                "monitoring": {
                    "raised": report.raised.len(),
                    "refreshed": report.refreshed,
                    "closed": report.closed,
                },
            }))
        })
        .await?;
    drop(dir);
    state.refresh().await?;
    Ok(Json(answer))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, ApiError> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(ApiError::internal)?;
    Ok(path)
}

fn key_json(k: &ApiKey) -> Value {
    json!({
        "id": k.id,
        "name": k.name,
        "role": k.role.as_str(),
        "prefix": k.prefix,
        "created_at": k.created_at.to_string(),
        "revoked_at": k.revoked_at.map(|t| t.to_string()),
    })
}

/// The API keys, valid and revoked (never their tokens).
#[utoipa::path(get, path = "/v1/keys", tag = "administration",
    responses((status = 200, description = "Keys", body = Vec<Object>),
              (status = 403, description = "Not an admin key", body = crate::errors::ErrorBody)),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn keys(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Admin)?;
    state
        .read(|registry| {
            Ok(Value::Array(
                registry.api_keys()?.iter().map(key_json).collect(),
            ))
        })
        .await
        .map(Json)
}

/// A key to create.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKeyRequest {
    /// Whose or what it is for.
    #[schema(example = "onboarding service", pattern = r"\S")]
    pub name: String,
    /// `viewer`, `analyst` or `admin`.
    #[schema(value_type = super::RoleName, example = "viewer")]
    pub role: String,
}

/// Creates a key (admin role); the answer holds its token, shown this once.
#[utoipa::path(post, path = "/v1/keys", tag = "administration", request_body = NewKeyRequest,
    responses((status = 201, description = "The key and its token", body = Object),
              (status = 403, description = "Not an admin key", body = crate::errors::ErrorBody),
              (status = 422, description = "Unknown role or no name", body = crate::errors::ErrorBody)),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn add_key(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<NewKeyRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(Role::Admin)?;
    let role = Role::parse(request.role.trim()).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
            format!("role {:?}: expected viewer, analyst or admin", request.role),
        )
    })?;
    let created = state
        .write(
            move |registry| match registry.add_api_key(&request.name, role) {
                Ok(new) => {
                    let mut v = key_json(&new.key);
                    v["token"] = Value::String(new.token);
                    Ok(v)
                }
                Err(RegistryError::InvalidApiKey(m)) => Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_request",
                    m,
                )),
                Err(e) => Err(e.into()),
            },
        )
        .await?;
    state.reload_keys().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Revokes a key (admin role): it stops working at once on this server, within seconds on
/// others sharing the registry.
#[utoipa::path(delete, path = "/v1/keys/{id}", tag = "administration",
    params(("id" = i64, Path, description = "Key id")),
    responses((status = 200, description = "The revoked key", body = Object),
              (status = 403, description = "Not an admin key", body = crate::errors::ErrorBody),
              (status = 404, description = "No such key", body = crate::errors::ErrorBody)),
    security(("bearer" = []), ("api_key" = [])))]
pub(crate) async fn revoke_key(
    State(state): State<AppState>,
    caller: Caller,
    PathParams(id): PathParams<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Admin)?;
    let id: i64 = id
        .trim()
        .parse()
        .map_err(|_| ApiError::not_found(format!("no API key {id:?}")))?;
    let revoked = state
        .write(move |registry| match registry.revoke_api_key(id) {
            Ok(k) => Ok(key_json(&k)),
            Err(RegistryError::InvalidApiKey(m)) => Err(ApiError::not_found(m)),
            Err(e) => Err(e.into()),
        })
        .await?;
    state.reload_keys().await?;
    Ok(Json(revoked))
}
