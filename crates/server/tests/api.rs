//! The HTTP API over real HTTP, on the bundled lists (OFAC SDN of 2023-12-28, UN of
//! 2026-02-27), the seed notice of the Cartel de los Soles and a customer book of one.
//!
//! One server per test binary (the index is built once): it holds an admin, an analyst and a
//! viewer key and a revoked one, so every request here sends a key; `open_server` starts a
//! second, keyless one on the UN list alone.

use interdict_registry::{Registry, Role};
use interdict_server::{router, AppState};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

struct Server {
    base: String,
    admin: String,
    analyst: String,
    viewer: String,
    revoked: String,
    state: AppState,
    _dir: tempfile::TempDir,
}

/// Serves `state` on 127.0.0.1:0 from a runtime of its own (tests each have theirs).
fn spawn(state: AppState) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    listener.set_nonblocking(true).expect("non-blocking");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            tokio::spawn(state.clone().watch(std::time::Duration::from_millis(300)));
            axum::serve(listener, router(state)).await.expect("serve");
        });
    });
    addr
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("registry.sqlite");
        let mut registry = Registry::open(&db).expect("registry");
        for list in [
            "data/lists/ofac-sdn-2023-12-28",
            "data/lists/un-consolidated-2026-02-27.xml.gz",
        ] {
            let p =
                interdict_sources::load(&repo(list), &Default::default()).expect("bundled list");
            registry.ingest(&p).expect("ingest");
        }
        let notice =
            interdict_sources::notice::read(&repo("examples/notices/cartel-de-los-soles.yaml"))
                .expect("seed notice");
        registry.add_notice(&notice, None).expect("notice");
        let book = dir.path().join("customers.csv");
        std::fs::write(
            &book,
            "id,name,type,dob\nc1,Nicolas Maduro Moros,person,1962-11-23\n",
        )
        .unwrap();
        interdict_screening::monitor::add_file(&mut registry, &book, &Default::default())
            .expect("book");
        let admin = registry.add_api_key("ops", Role::Admin).unwrap().token;
        let analyst = registry
            .add_api_key("analyst ana", Role::Analyst)
            .unwrap()
            .token;
        let viewer = registry
            .add_api_key("onboarding", Role::Viewer)
            .unwrap()
            .token;
        let old = registry.add_api_key("former", Role::Admin).unwrap();
        registry.revoke_api_key(old.key.id).unwrap();
        drop(registry);
        let state = AppState::open_for(&db, true).expect("state");
        let addr = spawn(state.clone());
        Server {
            state,
            base: format!("http://{addr}"),
            admin,
            analyst,
            viewer,
            revoked: old.token,
            _dir: dir,
        }
    })
}

fn client() -> Client {
    Client::new()
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        let r = client()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, token: &str, body: &Value) -> (StatusCode, Value) {
        let r = client()
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }
}

/// Asserts an error answer: the status and the JSON shape `{"error": {"code", "message"}}`.
async fn assert_error(response: reqwest::Response, status: StatusCode, code: &str) {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.expect("a JSON error body");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn screening_maduro_finds_sdn_22790_under_venezuela() {
    let s = server();
    let (status, body) = s
        .post(
            "/v1/screen",
            &s.viewer,
            &json!({"id": "r1", "name": "Nicolas Maduro", "type": "person"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let result = &body["results"][0];
    assert_eq!(result["id"], "r1");
    let top = &result["matches"][0];
    assert_eq!(
        (top["list"].as_str(), top["id"].as_str()),
        (Some("ofac-sdn"), Some("22790"))
    );
    assert_eq!(top["name"], "MADURO MOROS, Nicolas");
    assert!(top["score"].as_f64().unwrap() >= 0.81);
    assert_eq!(top["explanation"]["algorithm"], "name-v16");
    let lists: Vec<&str> = body["lists"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["list"].as_str())
        .collect();
    assert_eq!(lists, ["ofac-sdn", "un"]);

    let (_, entity) = s.get("/v1/entities/ofac-sdn/22790", &s.viewer).await;
    let programs: Vec<&str> = entity["entity"]["designations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["program"].as_str())
        .collect();
    assert_eq!(programs, ["VENEZUELA", "IRAN-CON-ARMS-EO"]);
    assert_eq!(entity["listed"], true);
    assert_eq!(entity["publication"]["published"], "2023-12-28");
}

#[tokio::test]
async fn a_batch_answers_every_query_in_order_with_errors_in_place() {
    let s = server();
    let queries = json!({"queries": [
        {"id": 1, "name": "Nicolás Maduro"},
        {"id": 2, "name": "Usama bin Laden", "identifiers": "x;y"},
        {"id": 3, "name": "Maduro", "dob": "1962-13-45"},
        {"id": 4, "name": "Jane Q. Unlisted-Person"},
    ], "limit": 3});
    let (status, body) = s.post("/v1/screen", &s.viewer, &queries).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    assert_eq!(results[0]["matches"][0]["id"], "22790");
    assert_eq!(results[1]["id"], 2);
    assert!(results[1]["matches"].as_array().unwrap().len() <= 3);
    assert!(results[2]["matches"].is_null());
    assert!(
        results[2]["error"].as_str().unwrap().contains("dob"),
        "{}",
        results[2]
    );
    assert_eq!(results[3]["matches"], json!([]));
}

#[tokio::test]
async fn results_are_the_lines_of_batch_screening() {
    let s = server();
    let rows = [
        json!({"id": "a", "name": "Nicolas Maduro", "dob": "1962", "country": "Venezuela"}),
        json!({"id": 7, "name": "Cartel de los Soles"}),
        json!({"id": "c", "name": "AL-QA'IDA", "type": "organization"}),
        json!({"id": "d", "name": "Banco Nacional de Cuba", "identifiers": ["x1"]}),
        json!({"id": "e", "name": ""}),
    ];
    // Another test swaps the snapshot once (a notice recorded): compare against the snapshot
    // the request was answered with.
    let (body, snapshot) = loop {
        let before = s.state.snapshot();
        let (status, body) = s
            .post("/v1/screen", &s.viewer, &json!({"queries": rows}))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if std::sync::Arc::ptr_eq(&before, &s.state.snapshot()) {
            break (body, before);
        }
    };
    let input: String = rows.iter().map(|r| format!("{r}\n")).collect();
    let mut out = Vec::new();
    let options = interdict_screening::BatchOptions {
        notices: Some(std::sync::Arc::new(snapshot.annotations.clone())),
        ..Default::default()
    };
    interdict_screening::screen_reader(
        &snapshot.index,
        input.as_bytes(),
        Path::new("rows.jsonl"),
        &mut out,
        &options,
        &mut |_| {},
    )
    .expect("batch");
    let lines: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), lines.len());
    for (api, line) in results.iter().zip(&lines) {
        match line.get("error") {
            // The batch prefixes its errors with the line number; the API has no lines.
            Some(e) => assert!(
                e.as_str()
                    .unwrap()
                    .ends_with(api["error"].as_str().unwrap()),
                "{api} {line}"
            ),
            None => assert_eq!(api, line),
        }
    }
    assert_eq!(lines[0]["matches"][0]["id"], "22790");
    assert!(lines[1]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["notice"].is_object()));
}

#[tokio::test]
async fn notice_matches_carry_their_designation_status() {
    let s = server();
    let (status, body) = s
        .post(
            "/v1/screen",
            &s.viewer,
            &json!({"name": "Cartel de los Soles"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let notice = body["results"][0]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["list"] == "notice")
        .expect("a match on the notice")
        .clone();
    assert_eq!(notice["id"], "cartel-de-los-soles");
    let programs: Vec<&str> = notice["notice"]["designations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["program"].as_str())
        .collect();
    assert!(programs.contains(&"FTO"), "{notice}");
    assert!(notice["notice"]["designations"][0]["status_text"].is_string());

    // As of a day before the announcement, the notice is not screened; as of a day after it,
    // its FTO designation is announced and effective later, and the UN list of 2026 is not yet
    // published.
    let before = json!({"name": "Cartel de los Soles", "as_of": "2025-11-10"});
    let (status, body) = s.post("/v1/screen", &s.viewer, &before).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["results"][0]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["list"] != "notice"));
    assert_eq!(body["notices_as_of"], "2025-11-10");
    let after = json!({"name": "Cartel de los Soles", "as_of": "2025-11-20"});
    let (_, body) = s.post("/v1/screen", &s.viewer, &after).await;
    let lists: Vec<&str> = body["lists"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["list"].as_str())
        .collect();
    assert_eq!(lists, ["ofac-sdn"]);
    let m = body["results"][0]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["list"] == "notice")
        .expect("notice match")
        .clone();
    let fto = m["notice"]["designations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["program"] == "FTO")
        .unwrap()
        .clone();
    assert_eq!(
        fto["status_text"], "announced, effective 2025-11-24",
        "{fto}"
    );

    let (status, list) = s.get("/v1/notices", &s.viewer).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["id"] == "cartel-de-los-soles"));
    let (status, one) = s
        .get(
            "/v1/notices/cartel-de-los-soles?as_of=2025-11-20",
            &s.viewer,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{one}");
    assert_eq!(one["as_of"], "2025-11-20");
    assert_eq!(one["versions"][0]["version"], 1);
    let (status, _) = s
        .get(
            "/v1/notices/cartel-de-los-soles?as_of=2025-11-01",
            &s.viewer,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, e) = s
        .get("/v1/entities/notice/cartel-de-los-soles", &s.viewer)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(e["notice"]["notice"]["id"], "cartel-de-los-soles");
}

#[tokio::test]
async fn search_entities_history_lists_and_diff() {
    let s = server();
    let (status, body) = s.get("/v1/search?q=maduro%20moros", &s.viewer).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["id"] == "22790"));
    assert!(body["results"][0].get("explanation").is_none());

    let (status, history) = s
        .get("/v1/entities/ofac-sdn/22790/history", &s.viewer)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(history[0]["event"], "listed");
    assert_eq!(history[0]["published"], "2023-12-28");

    let (status, _) = s.get("/v1/entities/ofac-sdn/99999999", &s.viewer).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.get("/v1/entities/nolist/1", &s.viewer).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, un) = s
        .get("/v1/entities/un/QDi.006?as_of=2026-03-01", &s.viewer)
        .await;
    assert_eq!(status, StatusCode::OK, "{un}");
    assert_eq!(un["entity"]["list"], "un");
    let (status, e) = s
        .get("/v1/entities/ofac-sdn/22790?as_of=yesterday", &s.viewer)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(e["error"]["code"], "bad_request");

    let (status, lists) = s.get("/v1/lists", &s.viewer).await;
    assert_eq!(status, StatusCode::OK);
    let sdn = lists["publications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["list"] == "ofac-sdn")
        .unwrap()
        .clone();
    assert_eq!(sdn["published"], "2023-12-28");
    assert!(sdn["entities"].as_u64().unwrap() > 10_000);

    let (status, diff) = s
        .get(
            "/v1/lists/ofac-sdn/diff?from=2023-12-28&to=2023-12-28",
            &s.viewer,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{diff}");
    assert_eq!(diff["added"], json!([]));
    assert_eq!(diff["changed"], json!([]));
    let (status, _) = s
        .get(
            "/v1/lists/ofac-sdn/diff?from=2001-01-01&to=2023-12-28",
            &s.viewer,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn yente_match_answers_in_yentes_shape() {
    let s = server();
    let query = json!({"queries": {"q1": {"schema": "Person", "properties": {
        "name": ["Nicolas Maduro"], "birthDate": ["1962-11-23"], "nationality": ["ve"]}},
        "q2": {"schema": "Person", "properties": {"birthDate": "1962"}}}});
    let (status, body) = s
        .post("/match/default?threshold=0.8&limit=3", &s.viewer, &query)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["limit"], 3);
    let q1 = &body["responses"]["q1"];
    assert_eq!(q1["status"], 200);
    assert_eq!(q1["query"]["schema"], "Person");
    assert_eq!(q1["total"]["relation"], "eq");
    let top = &q1["results"][0];
    assert_eq!(top["id"], "ofac-sdn:22790");
    assert_eq!(top["caption"], "MADURO MOROS, Nicolas");
    assert_eq!(top["schema"], "Person");
    assert_eq!(top["datasets"], json!(["ofac-sdn"]));
    assert_eq!(top["match"], true);
    assert!(top["properties"]["birthDate"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d == "1962-11-23"));
    assert!(top["properties"]["program"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "VENEZUELA"));
    assert!(top["features"]["name"].as_f64().unwrap() > 0.8);
    assert!(top["explanations"]["name"]["detail"].is_string());
    assert_eq!(body["responses"]["q2"]["status"], 400);

    // A list name as the dataset keeps that list only; an unknown one is 404.
    let un =
        json!({"queries": {"q": {"schema": "Person", "properties": {"name": "Nicolas Maduro"}}}});
    let (status, body) = s.post("/match/un", &s.viewer, &un).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["responses"]["q"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["datasets"] == json!(["un"])));
    let (status, body) = s.post("/match/nowhere", &s.viewer, &un).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}

#[tokio::test]
async fn roles_keys_and_revocation() {
    let s = server();
    // No key: 401; a revoked or made-up key: 401.
    let r = client().get(s.url("/v1/lists")).send().await.unwrap();
    assert_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let r = client()
        .get(s.url("/v1/lists"))
        .bearer_auth(&s.revoked)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let r = client()
        .get(s.url("/v1/lists"))
        .header("X-API-Key", "idk_nope")
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // X-API-Key works as well as Bearer; health and the API description need no key.
    let r = client()
        .get(s.url("/v1/lists"))
        .header("X-API-Key", &s.viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    for public in ["/healthz", "/readyz", "/openapi.json"] {
        assert_eq!(
            client().get(s.url(public)).send().await.unwrap().status(),
            StatusCode::OK,
            "{public}"
        );
    }

    // The viewer cannot decide alerts, ingest, record notices or see keys.
    let (_, alerts) = s.get("/v1/alerts?status=open", &s.viewer).await;
    let alert = alerts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["entity"]["key"] == "ofac-sdn:22790")
        .expect("the book's alert")
        .clone();
    let decide = format!("/v1/alerts/{}/decisions", alert["id"]);
    let decision = json!({"status": "escalated", "reason": "same name and date of birth"});
    let (status, body) = s.post(&decide, &s.viewer, &decision).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    let (status, _) = s.get("/v1/keys", &s.analyst).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let r = client()
        .post(s.url("/v1/notices"))
        .bearer_auth(&s.analyst)
        .body("id: x")
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;

    // The analyst can; the decision is recorded under the key's name.
    let (status, decided) = s.post(&decide, &s.analyst, &decision).await;
    assert_eq!(status, StatusCode::OK, "{decided}");
    assert_eq!(decided["status"], "escalated");
    let last = decided["decisions"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (last["by"].as_str(), last["status"].as_str()),
        (Some("analyst ana"), Some("escalated"))
    );
    let (status, one) = s
        .get(&format!("/v1/alerts/{}", alert["id"]), &s.viewer)
        .await;
    assert_eq!(
        (status, one["status"].as_str()),
        (StatusCode::OK, Some("escalated"))
    );
    let (_, decisions) = s.get(&decide, &s.viewer).await;
    assert!(!decisions.as_array().unwrap().is_empty());
    let (status, body) = s
        .post(
            &decide,
            &s.analyst,
            &json!({"status": "closed", "reason": "x"}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_decision"))
    );
    let (status, _) = s
        .post("/v1/alerts/999999/decisions", &s.analyst, &decision)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The admin creates a key, which works at once, and revokes it, which stops it at once.
    let (status, created) = s
        .post(
            "/v1/keys",
            &s.admin,
            &json!({"name": "temp", "role": "viewer"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let token = created["token"].as_str().unwrap().to_string();
    assert_eq!(s.get("/v1/lists", &token).await.0, StatusCode::OK);
    let (_, keys) = s.get("/v1/keys", &s.admin).await;
    assert!(keys
        .as_array()
        .unwrap()
        .iter()
        .all(|k| k.get("token").is_none()));
    let r = client()
        .delete(s.url(&format!("/v1/keys/{}", created["id"])))
        .bearer_auth(&s.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(s.get("/v1/lists", &token).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn bad_input_gets_json_errors() {
    let s = server();
    let post = |body: Vec<u8>| {
        client()
            .post(s.url("/v1/screen"))
            .bearer_auth(&s.viewer)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    assert_error(
        post(b"{\"name\": \"Mad\xff\xfero\"}".to_vec())
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    assert_error(
        post(b"{\"name\": ".to_vec()).await.unwrap(),
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    assert_error(
        post(b"[1, 2]".to_vec()).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    assert_error(
        post(b"{\"nme\": \"x\"}".to_vec()).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    assert_error(
        post(b"{}".to_vec()).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_query",
    )
    .await;
    let big = format!("{{\"name\": \"{}\"}}", "a".repeat(2 << 20));
    assert_error(
        post(big.into_bytes()).await.unwrap(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
    let batch = json!({"queries": vec![json!({"name": "x"}); 1001]});
    assert_error(
        post(serde_json::to_vec(&batch).unwrap()).await.unwrap(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "batch_too_large",
    )
    .await;
    let r = client()
        .post(s.url("/v1/screen"))
        .bearer_auth(&s.viewer)
        .body("{\"name\": \"x\"}")
        .send()
        .await
        .unwrap();
    assert_error(
        r,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let (status, body) = s
        .post(
            "/v1/screen",
            &s.viewer,
            &json!({"name": "x", "threshold": 2}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_request"))
    );
    let r = client()
        .get(s.url("/v1/nothing-here"))
        .bearer_auth(&s.viewer)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::NOT_FOUND, "not_found").await;
    let r = client()
        .delete(s.url("/v1/screen"))
        .bearer_auth(&s.viewer)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    let r = client()
        .get(s.url("/v1/search"))
        .bearer_auth(&s.viewer)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    // The server is still up.
    assert_eq!(
        client()
            .get(s.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn openapi_docs_and_metrics() {
    let s = server();
    let doc: Value = client()
        .get(s.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/v1/screen",
        "/v1/search",
        "/v1/entities/{list}/{id}",
        "/v1/entities/{list}/{id}/history",
        "/v1/lists",
        "/v1/lists/{list}/diff",
        "/v1/notices",
        "/v1/notices/{id}",
        "/v1/alerts",
        "/v1/alerts/{id}",
        "/v1/alerts/{id}/decisions",
        "/v1/ingest",
        "/v1/keys",
        "/v1/keys/{id}",
        "/match/{dataset}",
        "/healthz",
        "/readyz",
        "/metrics",
    ] {
        assert!(paths.contains_key(p), "{p} is not documented");
    }
    assert!(doc["components"]["schemas"]["ScreenRequest"].is_object());
    let docs = client().get(s.url("/docs")).send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(docs.text().await.unwrap().contains("swagger"));

    s.post("/v1/screen", &s.viewer, &json!({"name": "Maduro"}))
        .await;
    let text = client()
        .get(s.url("/metrics"))
        .bearer_auth(&s.viewer)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains(
            "interdict_http_requests_total{method=\"POST\",route=\"/v1/screen\",status=\"200\"}"
        ),
        "{text}"
    );
    assert!(text.contains("interdict_http_request_duration_seconds_bucket"));
    assert!(
        text.contains("interdict_list_published_timestamp_seconds{list=\"ofac-sdn\"} 1703721600")
    );
    assert!(text
        .lines()
        .any(|l| l.starts_with("interdict_index_entities ") && !l.ends_with(" 0")));
    let (status, ready) = s.get("/readyz", &s.viewer).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ready["lists"][0]["published"], "2023-12-28");
}

#[tokio::test]
async fn ingest_uploads_and_a_swap_during_requests_loses_none() {
    let s = server();
    // The UN file again: recognised, nothing written.
    let un = std::fs::read(repo("data/lists/un-consolidated-2026-02-27.xml.gz")).unwrap();
    let r = client()
        .post(s.url("/v1/ingest?filename=un-consolidated-2026-02-27.xml.gz"))
        .bearer_auth(&s.admin)
        .body(un)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (body["list"].as_str(), body["new"].as_bool()),
        (Some("un"), Some(false))
    );
    let r = client()
        .post(s.url("/v1/ingest?filename=list.xml"))
        .bearer_auth(&s.admin)
        .body("<html>no</html>")
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_list_file").await;
    let r = client()
        .post(s.url("/v1/ingest"))
        .bearer_auth(&s.viewer)
        .body("x")
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;

    // Screening goes on while a notice is recorded and the snapshot rebuilt and swapped.
    let before: Value = client()
        .get(s.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..200 {
        let (url, token) = (s.url("/v1/screen"), s.viewer.clone());
        tasks.push(tokio::spawn(async move {
            if i % 50 == 0 {
                tokio::time::sleep(std::time::Duration::from_millis(i as u64)).await;
            }
            let r = client()
                .post(url)
                .bearer_auth(token)
                .json(&json!({"name": "Nicolas Maduro"}))
                .send()
                .await
                .expect("request");
            let status = r.status();
            let body: Value = r.json().await.expect("JSON");
            (
                status,
                body["results"][0]["matches"][0]["id"]
                    .as_str()
                    .map(str::to_string),
            )
        }));
    }
    let yaml = std::fs::read_to_string(repo("examples/notices/tren-de-aragua.yaml")).unwrap();
    let r = client()
        .post(s.url("/v1/notices"))
        .bearer_auth(&s.admin)
        .body(yaml)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let recorded: Value = r.json().await.unwrap();
    assert_eq!(recorded["recorded"], true, "{recorded}");
    for t in tasks {
        let (status, top) = t.await.unwrap();
        assert_eq!((status, top.as_deref()), (StatusCode::OK, Some("22790")));
    }
    let after: Value = client()
        .get(s.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_ne!(before["snapshot_built_at"], after["snapshot_built_at"]);
    assert_eq!(
        after["notices"].as_u64(),
        before["notices"].as_u64().map(|n| n + 1)
    );
    let (_, body) = s
        .post("/v1/screen", &s.viewer, &json!({"name": "Tren de Aragua"}))
        .await;
    assert!(
        body["results"][0]["matches"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == "tren-de-aragua" && m["notice"].is_object()),
        "{body}"
    );
}

#[tokio::test]
async fn a_keyless_server_serves_loopback_without_keys_and_follows_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    let mut registry = Registry::open(&db).unwrap();
    let un = interdict_sources::load(
        &repo("data/lists/un-consolidated-2026-02-27.xml.gz"),
        &Default::default(),
    )
    .unwrap();
    registry.ingest(&un).unwrap();
    let state = AppState::open_for(&db, true).unwrap();
    assert!(state.is_open());
    let base = format!("http://{}", spawn(state));
    let r = client()
        .get(format!("{base}/v1/lists"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // A key added by another process (the command line) closes it within the polling interval.
    let key = registry.add_api_key("cli", Role::Viewer).unwrap();
    let mut closed = false;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        if client()
            .get(format!("{base}/v1/lists"))
            .send()
            .await
            .unwrap()
            .status()
            == StatusCode::UNAUTHORIZED
        {
            closed = true;
            break;
        }
    }
    assert!(closed, "the new key was not picked up");
    let r = client()
        .get(format!("{base}/v1/lists"))
        .bearer_auth(&key.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // A notice recorded by another process is screened within the polling interval.
    let notice =
        interdict_sources::notice::read(&repo("examples/notices/sinaloa-cartel.yaml")).unwrap();
    registry.add_notice(&notice, None).unwrap();
    let mut found = false;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let r = client()
            .post(format!("{base}/v1/screen"))
            .bearer_auth(&key.token)
            .json(&json!({"name": "Sinaloa Cartel"}))
            .send()
            .await
            .unwrap();
        let body: Value = r.json().await.unwrap();
        if body["results"][0]["matches"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["list"] == "notice")
        {
            found = true;
            break;
        }
    }
    assert!(
        found,
        "the notice recorded by another process was not picked up"
    );

    // Off loopback, no key means no access at all, and `serve` refuses to start.
    let state = AppState::open_for(&db, false).unwrap();
    assert!(!state.is_open());
    let mut empty = Registry::open(dir.path().join("other.sqlite")).unwrap();
    empty.ingest(&un).unwrap();
    drop(empty);
    let refused = interdict_server::serve(interdict_server::ServerConfig::new(
        dir.path().join("other.sqlite"),
        "0.0.0.0:0".parse().unwrap(),
    ))
    .await;
    assert!(
        matches!(
            refused,
            Err(interdict_server::ServerError::Unauthenticated { .. })
        ),
        "{refused:?}"
    );
}
