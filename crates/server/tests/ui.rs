//! The web UI's pages rendered through the whole router (`tower::ServiceExt::oneshot`, no
//! socket) on a registry holding the bundled lists, two SDN publications of May 2022, the
//! example notices and a small customer book: real content, statuses and escaping.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use interdict_registry::Registry;
use interdict_server::AppState;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tower::ServiceExt;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

/// The registry every test reads, built once (a few seconds) and kept for the test run.
fn state() -> AppState {
    static STATE: OnceLock<(tempfile::TempDir, AppState)> = OnceLock::new();
    STATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let db = dir.path().join("registry.sqlite");
            let mut registry = Registry::open(&db).expect("a new registry");
            for path in [
                "data/lists/ofac-sdn-2023-12-28",
                "data/lists/un-consolidated-2026-02-27.xml.gz",
                "testdata/ofac/sdn-history/sdn-2022-05-19.csv.gz",
                "testdata/ofac/sdn-history/sdn-2022-05-20.csv.gz",
            ] {
                let mut publication =
                    interdict_sources::load(&repo(path), &Default::default()).expect(path);
                interdict_sources::resolve_links(&mut publication);
                registry.ingest(&publication).expect("ingest");
            }
            for notice in ["cartel-de-los-soles", "tren-de-aragua", "sinaloa-cartel"] {
                let path = repo(&format!("examples/notices/{notice}.yaml"));
                let n = interdict_sources::notice::read(&path).expect("a valid notice");
                registry.add_notice(&n, None).expect("notice recorded");
            }
            let book = dir.path().join("customers.csv");
            std::fs::write(
                &book,
                "id,name,type,dob,country\n\
                 c-1001,Nicolas Maduro Moros,person,1962-11-23,VE\n\
                 c-1002,Diosdado Cabello Rondon,person,,VE\n",
            )
            .expect("book written");
            interdict_screening::monitor::add_file(&mut registry, &book, &Default::default())
                .expect("customers added");
            drop(registry);
            let state = AppState::open(&db).expect("the server state");
            (dir, state)
        })
        .1
        .clone()
}

fn app() -> Router {
    interdict_server::router(state())
}

/// Status, headers and body of a request through the router.
async fn send(request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app().oneshot(request).await.expect("a response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 10 << 20)
        .await
        .expect("a body");
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

async fn get(uri: &str) -> (StatusCode, String) {
    let (status, headers, body) = send(Request::get(uri).body(Body::empty()).unwrap()).await;
    if status.is_success() {
        let kind = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            kind.starts_with("text/html") || !body.starts_with("<!DOCTYPE"),
            "{uri}: {kind}"
        );
    }
    (status, body)
}

async fn post(
    uri: &str,
    form: &str,
    origin: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "127.0.0.1:8080");
    if let Some(o) = origin {
        request = request.header(header::ORIGIN, o);
    }
    send(request.body(Body::from(form.to_string())).unwrap()).await
}

#[tokio::test]
async fn search_finds_maduro_and_explains_the_match() {
    let (status, body) = get("/?q=Maduro").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("MADURO MOROS, Nicolas"), "{body}");
    assert!(body.contains("href=\"/entities/ofac-sdn/22790\""));
    assert!(
        body.contains("VENEZUELA, IRAN-CON-ARMS-EO"),
        "programs beside the name"
    );
    assert!(body.contains("Token pairs"));
    assert!(body.contains("name-v16"));
}

#[tokio::test]
async fn search_with_attributes_shows_their_effect() {
    let (status, body) = get("/?q=Nicolas+Maduro&type=person&dob=1962-11-23&country=VE").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("MADURO MOROS, Nicolas"));
    assert!(body.contains("date of birth"));
    assert!(body.contains("1962-11-23"));
}

/// An organisation's name score is calibrated, and the page says from what.
#[tokio::test]
async fn an_organisations_calibrated_score_is_explained() {
    let (status, body) = get("/?q=Pua+Securdty+Company&type=organization").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("PUMA SECURITY COMPANY"), "{body}");
    assert!(
        body.contains("0.782 before the calibration of organisations"),
        "{body}"
    );
}

#[tokio::test]
async fn a_compound_an_initial_stands_for_is_explained() {
    let (status, body) = get("/?q=Y.+EVKUROV&type=person").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("EVKUROV, Yunus-Bek"), "{body}");
    assert!(
        body.contains("less as part of a compound name an initial stands for"),
        "{body}"
    );
}

#[tokio::test]
async fn search_as_of_shows_a_notice_status_on_the_day() {
    let (status, body) = get("/?q=Cartel+of+the+Suns&as_of=2025-11-20").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("notice:cartel-de-los-soles"), "{body}");
    assert!(body.contains("announced, effective 2025-11-24"), "{body}");
}

#[tokio::test]
async fn search_rejects_bad_fields_with_a_message() {
    let (status, body) = get("/?q=Maduro&dob=1962-13-40").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("dob"), "{body}");
    let (status, body) = get("/?q=Maduro&as_of=yesterday").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("YYYY-MM-DD"));
}

#[tokio::test]
async fn what_users_type_is_escaped() {
    let (status, body) = get("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains("<script>alert(1)"));
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[tokio::test]
async fn entity_page_shows_designations_details_and_timeline() {
    let (status, body) = get("/entities/ofac-sdn/22790").await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "MADURO MOROS, Nicolas",
        "VENEZUELA",
        "Venezuela-Related Sanctions",
        "E.O. 13692",
        "IRAN-CON-ARMS-EO",
        "5892464",
        "1962-11-23",
        "Caracas, Venezuela",
        "President of the Bolivarian Republic of Venezuela",
        "Timeline",
        "2022-05-19",
    ] {
        assert!(body.contains(text), "no {text:?} on the page");
    }
    // The pending alert on him is linked.
    assert!(body.contains("/alerts#alert-"));
}

#[tokio::test]
async fn entity_page_as_of_a_day_before_a_change() {
    let (status, body) = get("/entities/ofac-sdn/22790?as_of=2022-05-19").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("publication of 2022-05-19"), "{body}");
    assert!(!body.contains("Caracas, Capital District"));
}

#[tokio::test]
async fn delisted_entity_is_shown_as_last_listed() {
    // Ibrahim al-Rubaysh left the SDN list on 2022-05-20.
    let (status, body) = get("/entities/ofac-sdn/17568").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Not listed"), "{body}");
    assert!(body.contains("delisted"));
}

#[tokio::test]
async fn names_are_grouped_by_script() {
    // The UN list gives Saddam Hussein's name in Arabic script beside its romanisations.
    let (status, body) = get("/entities/un/IQi.001").await;
    assert_eq!(status, StatusCode::OK);
    let latin = body.find("<h3>Latin").expect("a Latin group");
    let arabic = body.find("<h3>Arabic").expect("an Arabic group");
    assert!(latin < arabic, "Latin names come first");
    assert!(body[arabic..].contains("صدام حسين التكريتي"));
}

#[tokio::test]
async fn linked_parties_are_drawn() {
    let (status, body) = get("/entities/notice/cartel-de-los-soles").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<svg"), "{body}");
    assert!(body.contains("Linked parties"));
    assert!(body.contains("href=\"/entities/ofac-sdn/22790\""));
}

#[tokio::test]
async fn list_links_are_drawn_and_resolved() {
    // "Linked To: HAMAS." in the SDN remarks, resolved to HAMAS's own entry.
    let (status, body) = get("/entities/ofac-sdn/7916").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<svg"), "{body}");
    let graph = &body[body.find("<svg").unwrap_or(0)..];
    assert!(graph.contains("<a class=\"node\" href=\"/entities/ofac-sdn/"));
    assert!(graph.contains("HAMAS"));
}

#[tokio::test]
async fn notice_page_shows_lifecycle_and_status_on_the_day() {
    let (status, body) = get("/entities/notice/cartel-de-los-soles?as_of=2025-11-20").await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "Cartel de los Soles",
        "FTO",
        "announced",
        "2025-11-16",
        "effective 2025-11-24",
        "INA §219",
    ] {
        assert!(body.contains(text), "no {text:?} on the page");
    }
    let (status, body) = get("/entities/notice/cartel-de-los-soles?as_of=2025-11-25").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("in force since 2025-11-24"));
    assert!(body.contains("five-year review due"));
    let (status, body) = get("/entities/notice/cartel-de-los-soles?as_of=2025-11-10").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("first public event is on 2025-11-16"));
}

#[tokio::test]
async fn unknown_entities_and_lists_are_404_pages() {
    let (status, body) = get("/entities/ofac-sdn/999999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        body.contains("ofac-sdn:999999999 is not in the registry"),
        "{body}"
    );
    // A browser gets the page, not the API's JSON error shape.
    assert!(body.starts_with("<!DOCTYPE"), "{body}");
    let (status, _) = get("/entities/nolist/1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get("/entities/ofac-sdn/22790?as_of=2022-02-30").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn lists_page_shows_publications_and_notices() {
    let (status, body) = get("/lists").await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "ofac-sdn",
        "2023-12-28",
        "13821",
        "2022-05-19",
        "un",
        "2026-02-27",
        "notice:cartel-de-los-soles",
        "Show changes",
    ] {
        assert!(body.contains(text), "no {text:?} on the page");
    }
}

#[tokio::test]
async fn diff_shows_the_fto_revocations_of_2022_05_20() {
    let (status, body) = get("/lists/ofac-sdn/diff?from=2022-05-19&to=2022-05-20").await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "KAHANE CHAI",
        "AUM SHINRIKYO",
        "<del>FTO",
        "AL-RUBAYSH, Ibrahim",
        "0 added, 6 removed, 5 changed",
    ] {
        assert!(body.contains(text), "no {text:?} on the page");
    }
    let (status, _) = get("/lists/ofac-sdn/diff?from=2022-05-19&to=999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get("/lists/ofac-sdn/diff?from=&to=2022-05-20").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn alert_decisions_are_recorded_and_audited() {
    let (status, body) = get("/alerts").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Diosdado Cabello Rondon"), "{body}");
    assert!(body.contains("CABELLO RONDON, Diosdado"));
    assert!(body.contains("False positive"));
    let id = state()
        .read(|r| Ok(r.alerts(None)?))
        .await
        .expect("alerts")
        .into_iter()
        .find(|a| a.found.customer == "c-1002")
        .expect("an alert on c-1002")
        .id;

    // From another site: refused. Without a reason: refused.
    let uri = format!("/alerts/{id}/decision");
    let form = "status=escalated&reason=needs+documents&by=Test+Analyst";
    let (status, _, _) = post(&uri, form, Some("https://evil.example")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = post(&uri, "status=escalated&reason=&by=x", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = post(&uri, "status=closed&reason=x&by=x", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = post("/alerts/999999/decision", form, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, headers, _) = post(&uri, form, Some("http://127.0.0.1:8080")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(location.starts_with(&format!("/alerts?decided={id}")));
    assert!(headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("HttpOnly"));

    let (status, body) = get(&location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("is now <strong>escalated</strong>"), "{body}");
    assert!(body.contains("needs documents"));

    let entries = state()
        .read(|r| Ok(r.audit_entries(1)?))
        .await
        .expect("the audit log");
    assert!(entries
        .iter()
        .any(|e| e.kind == "alert.decision" && e.payload["by"] == "Test Analyst"));
}

#[tokio::test]
async fn assets_are_served_from_the_binary() {
    for (uri, kind) in [
        ("/assets/style.css", "text/css"),
        ("/assets/app.js", "text/javascript"),
        ("/assets/favicon.svg", "image/svg+xml"),
    ] {
        let (status, headers, body) = send(Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with(kind));
        assert!(!body.is_empty());
    }
}

#[tokio::test]
async fn suggestions_are_json() {
    let (status, headers, body) = send(
        Request::get("/search/suggest?q=Maduro")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .contains("json"));
    assert!(body.contains("ofac-sdn:22790"), "{body}");
}

#[tokio::test]
async fn login_page_says_no_sign_in_is_needed_without_keys() {
    let (status, body) = get("/login?next=/alerts").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("No sign-in needed"));
}

/// A registry with API keys: the UN list, one customer who raises an alert, a viewer's key and
/// an analyst's key (tokens returned in that order).
fn keyed_state(dir: &Path) -> (AppState, String, String) {
    let db = dir.join("registry.sqlite");
    let mut registry = Registry::open(&db).expect("a new registry");
    let path = repo("data/lists/un-consolidated-2026-02-27.xml.gz");
    let un = interdict_sources::load(&path, &Default::default()).expect("the UN list");
    registry.ingest(&un).expect("ingest");
    let book = dir.join("customers.csv");
    std::fs::write(
        &book,
        "id,name,type\nk-1,Aiman Muhammed Rabi al-Zawahiri,person\n",
    )
    .expect("book written");
    interdict_screening::monitor::add_file(&mut registry, &book, &Default::default())
        .expect("customer added");
    let viewer = registry
        .add_api_key("Vic Viewer", interdict_registry::Role::Viewer)
        .expect("a viewer key")
        .token;
    let analyst = registry
        .add_api_key("Ana Analyst", interdict_registry::Role::Analyst)
        .expect("an analyst key")
        .token;
    drop(registry);
    (
        AppState::open(&db).expect("the server state"),
        viewer,
        analyst,
    )
}

#[tokio::test]
async fn with_keys_the_session_cookie_carries_the_role() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (state, viewer, analyst) = keyed_state(dir.path());
    let app = interdict_server::router(state.clone());
    let call = |request: Request<Body>| {
        let app = app.clone();
        async move {
            let response = app.oneshot(request).await.expect("a response");
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), 10 << 20)
                .await
                .expect("a body");
            (status, String::from_utf8_lossy(&bytes).into_owned())
        }
    };
    let cookie = |token: &str| format!("interdict_key={token}");

    // Without a key: sent to the sign-in page, which takes the key and sets the cookie.
    let response = app
        .clone()
        .oneshot(Request::get("/alerts").body(Body::empty()).unwrap())
        .await
        .expect("a response");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()[header::LOCATION],
        "/login?next=%2Falerts"
    );
    let (status, body) = call(
        Request::get("/login?next=/alerts")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("type=\"password\""));
    let login = |key: &str| {
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("key={key}&next=%2Falerts")))
            .unwrap()
    };
    let response = app
        .clone()
        .oneshot(login(&analyst))
        .await
        .expect("a response");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/alerts");
    let set = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap_or("")
        .to_string();
    assert!(
        set.starts_with(&format!("interdict_key={analyst};")),
        "{set}"
    );
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"));
    let (status, _) = call(login("idk_0000")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, body) = call(
        Request::get("/alerts")
            .header(header::COOKIE, cookie(&analyst))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Signed in as <strong>Ana Analyst</strong> (analyst)"));
    assert!(body.contains("AIMAN MUHAMMED RABI AL-ZAWAHIRI"));
    assert!(body.contains("Decide alert"));
    // The key's name is who decides: no name field.
    assert!(!body.contains("Your name"));

    let (status, body) = call(
        Request::get("/alerts")
            .header(header::COOKIE, cookie(&viewer))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("viewer role"));
    assert!(!body.contains("Decide alert"));

    let id = state
        .read(|r| Ok(r.alerts(None)?))
        .await
        .expect("alerts")
        .first()
        .expect("an alert")
        .id;
    let decide = |token: &str| {
        Request::post(format!("/alerts/{id}/decision"))
            .header(header::COOKIE, cookie(token))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("status=true_match&reason=same+person"))
            .unwrap()
    };
    let (status, _) = call(decide(&viewer)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(decide(&analyst)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let alert = state
        .read(move |r| Ok(r.alert(id)?))
        .await
        .expect("the alert")
        .expect("still there");
    assert_eq!(
        alert.decisions.last().map(|d| d.by.as_str()),
        Some("Ana Analyst")
    );
}
