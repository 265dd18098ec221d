//! `GET /metrics`: Prometheus text exposition of request counts and latencies by route and
//! status, the size of the screening index and the age of each list.
//!
//! Routes are labelled by their template (`/v1/entities/{list}/{id}`), never by the path a
//! client sent, so the number of series stays bounded whatever clients request.

use crate::state::Snapshot;
use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};
use std::time::Instant;

/// The server's metrics, registered in a registry of their own.
#[derive(Debug)]
pub(crate) struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    index_entities: IntGauge,
    index_names: IntGauge,
    index_bytes: IntGauge,
    list_published: IntGaugeVec,
    list_age: IntGaugeVec,
    snapshot_built: IntGauge,
}

impl Metrics {
    pub(crate) fn new() -> Metrics {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("interdict_http_requests_total", "HTTP requests answered"),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "interdict_http_request_duration_seconds",
                "Time from request to response head",
            )
            .buckets(vec![
                0.000_25, 0.000_5, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
                2.5, 5.0, 10.0,
            ]),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let gauge = |name: &str, help: &str| IntGauge::new(name, help).expect("valid metric");
        let index_entities = gauge(
            "interdict_index_entities",
            "Entities in the screening index",
        );
        let index_names = gauge("interdict_index_names", "Names in the screening index");
        let index_bytes = gauge(
            "interdict_index_heap_bytes",
            "Approximate heap bytes of the screening index",
        );
        let snapshot_built = gauge(
            "interdict_snapshot_built_timestamp_seconds",
            "When the screening snapshot in use was built (Unix time)",
        );
        let list_published = IntGaugeVec::new(
            Opts::new(
                "interdict_list_published_timestamp_seconds",
                "Publication date of the list release screened against (Unix time, midnight UTC); \
                 the list's age is time() minus this",
            ),
            &["list"],
        )
        .expect("valid metric");
        let list_age = IntGaugeVec::new(
            Opts::new(
                "interdict_list_age_days",
                "Days since the publication date of the list release screened against",
            ),
            &["list"],
        )
        .expect("valid metric");
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(index_entities.clone()),
            Box::new(index_names.clone()),
            Box::new(index_bytes.clone()),
            Box::new(snapshot_built.clone()),
            Box::new(list_published.clone()),
            Box::new(list_age.clone()),
        ] {
            registry.register(c).expect("metric names are unique");
        }
        Metrics {
            registry,
            requests,
            latency,
            index_entities,
            index_names,
            index_bytes,
            list_published,
            list_age,
            snapshot_built,
        }
    }

    /// Records the sizes and list dates of a snapshot about to be served.
    pub(crate) fn observe_snapshot(&self, snapshot: &Snapshot) {
        let stats = snapshot.index.stats();
        self.index_entities.set(stats.entities as i64);
        self.index_names.set(stats.names as i64);
        self.index_bytes.set(stats.heap_bytes as i64);
        self.snapshot_built.set(snapshot.built_at.as_second());
        self.list_published.reset();
        for p in &snapshot.publications {
            if let Some(day) = p.published {
                if let Ok(at) = day.to_zoned(jiff::tz::TimeZone::UTC) {
                    self.list_published
                        .with_label_values(&[p.list.as_str()])
                        .set(at.timestamp().as_second());
                }
            }
        }
    }

    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let status = status.to_string();
        let labels = [method, route, status.as_str()];
        self.requests.with_label_values(&labels).inc();
        self.latency.with_label_values(&labels).observe(seconds);
    }

    /// Sets the list ages as of today (they move with the date, not with the snapshot).
    fn observe_ages(&self, snapshot: &Snapshot) {
        let today = interdict_screening::today();
        self.list_age.reset();
        for p in &snapshot.publications {
            if let Some(day) = p.published {
                self.list_age
                    .with_label_values(&[p.list.as_str()])
                    .set(i64::from((today - day).get_days()));
            }
        }
    }

    fn render(&self) -> String {
        let mut out = Vec::new();
        let families = self.registry.gather();
        if TextEncoder::new().encode(&families, &mut out).is_err() {
            return String::new();
        }
        String::from_utf8(out).unwrap_or_default()
    }
}

/// The middleware that counts and times every request.
pub(crate) async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let response = next.run(request).await;
    state.metrics().observe(
        &method,
        &route,
        response.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    response
}

/// `GET /metrics`.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text exposition format", content_type = "text/plain")))]
pub(crate) async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    state.metrics().observe_ages(&state.snapshot());
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics().render(),
    )
}
