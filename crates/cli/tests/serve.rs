//! `interdict keys` and `interdict serve` end to end: keys are created, listed and revoked in
//! the registry (their tokens shown once, never listed), and a server without keys refuses to
//! listen off loopback, saying why.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn interdict(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_interdict"));
    c.env_remove("INTERDICT_DB").arg("--db").arg(db);
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    interdict(db).args(args).output().expect("the binary runs")
}

#[test]
fn keys_are_added_listed_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    let o = run(
        &db,
        &[
            "keys", "add", "--role", "analyst", "--name", "ana", "--json",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let key: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let token = key["token"].as_str().unwrap();
    assert!(token.starts_with("idk_") && token.starts_with(key["prefix"].as_str().unwrap()));
    assert_eq!(key["role"], "analyst");

    let o = run(&db, &["keys", "add", "--role", "superuser", "--name", "x"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("expected viewer, analyst or admin"));

    let o = run(&db, &["keys", "list", "--json"]);
    let keys: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(keys.as_array().unwrap().len(), 1);
    assert!(keys[0].get("token").is_none());
    assert!(!String::from_utf8_lossy(&o.stdout).contains(token));

    let id = key["id"].to_string();
    let o = run(&db, &["keys", "revoke", &id]);
    assert!(o.status.success());
    let o = run(&db, &["keys", "list", "--json"]);
    let keys: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(keys[0]["revoked_at"].is_string());
    let o = run(&db, &["audit", "log"]);
    let log = String::from_utf8_lossy(&o.stdout);
    assert!(
        log.contains("key.created") && log.contains("key.revoked"),
        "{log}"
    );
}

#[test]
fn a_keyless_server_refuses_a_public_address_and_serves_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registry.sqlite");
    let o = run(&db, &["serve", "--listen", "0.0.0.0:0"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("refusing to listen on 0.0.0.0:0") && err.contains("keys add"),
        "{err}"
    );

    // On loopback it serves, without authentication, and says so.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut child = interdict(&db)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    let start = Instant::now();
    while !said.contains("WITHOUT authentication") && start.elapsed() < Duration::from_secs(60) {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        said.push_str(&line);
    }
    assert!(said.contains("WITHOUT authentication"), "{said}");
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(
            b"GET /v1/entities/ofac-sdn/22790 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("MADURO MOROS"));
}
