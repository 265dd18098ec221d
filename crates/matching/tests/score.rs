//! Name scoring (`name-v16`) through [`compare`], and properties of scoring and search.

use interdict_matching::{
    analyze, compare, MatchIndex, Method, Query, SearchOptions, TokenClass, DEFAULT_THRESHOLD,
    NAME_ALGORITHM, NAME_V14,
};
use interdict_model::{Entity, EntityKind, Name, NameKind, PartialDate};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

fn score(a: &str, b: &str) -> f64 {
    compare(a, b, None).0
}

#[test]
fn a_legal_form_is_not_a_name() {
    let (s, e) = compare("EMMA LLC", "Emma Daniels", None);
    assert!(
        s < DEFAULT_THRESHOLD - 0.05,
        "EMMA LLC vs Emma Daniels: {s}"
    );
    assert!(e.unmatched_name.iter().any(|u| u.token == "daniels"));
    assert!(score("CORP", "XYZ CORP") < 0.5);
    assert!(
        score(
            "Acme Holdings LLC",
            "Acme Holdings Limited Liability Company"
        ) > 0.95
    );
}

#[test]
fn al_qaida_spellings_score_about_one() {
    let forms = ["AL-QA'IDA", "AL QAIDA", "ALQAIDA", "Al Qaida"];
    for a in forms {
        for b in forms {
            assert!(score(a, b) >= 0.95, "{a} vs {b}: {}", score(a, b));
        }
    }
    let (_, e) = compare("ALQAIDA", "AL QAIDA", None);
    assert!(e.pairs.iter().any(|p| p.method == Method::Concatenation));
}

#[test]
fn different_surnames_do_not_match() {
    assert!(score("George Bush", "George Habbash") < 0.6);
    assert!(score("George Bush", "HABBASH, George") < 0.6);
}

#[test]
fn order_honorifics_and_case_do_not_matter() {
    assert_eq!(score("MADURO MOROS, Nicolas", "Nicolas Maduro Moros"), 1.0);
    assert_eq!(score("Dr. Ayman al-Zawahiri", "AYMAN AL-ZAWAHIRI"), 1.0);
}

#[test]
fn variants_typos_and_initials_score_high_but_below_exact() {
    for (a, b) in [
        ("Mohammed Ali Hassan", "Muhammad Ali Hasan"),
        ("Nicolas Maduro Morros", "Nicolas Maduro Moros"),
        ("N. Maduro Moros", "Nicolas Maduro Moros"),
        ("Usama bin Laden", "Osama bin Laden"),
    ] {
        let s = score(a, b);
        assert!((DEFAULT_THRESHOLD..1.0).contains(&s), "{a} vs {b}: {s}");
    }
}

#[test]
fn single_tokens_do_not_match_long_names() {
    assert!(score("Maduro", "Nicolas Maduro Moros") < DEFAULT_THRESHOLD);
    assert!(score("Mohammed", "Mohammed Ali Hassan") < DEFAULT_THRESHOLD);
}

#[test]
fn penalties_are_asymmetric() {
    // A listed token the query lacks costs less than a query token the list lacks.
    let dropped = score("Nicolas Maduro", "Nicolas Maduro Moros");
    let extra = score("Nicolas Maduro Moros", "Nicolas Maduro");
    assert!(dropped >= DEFAULT_THRESHOLD, "{dropped}");
    assert!(extra < dropped);
}

#[test]
fn initials_are_for_people() {
    let person = compare("J Smith", "John Smith", Some(EntityKind::Person)).0;
    let company = compare("J Smith", "John Smith", Some(EntityKind::Organization)).0;
    assert!(person > company);
}

#[test]
fn explanation_is_versioned_and_complete() {
    let (s, e) = compare("Nicolas Madura Morros Jr", "MADURO MOROS, Nicolas", None);
    assert_eq!(e.algorithm, NAME_ALGORITHM);
    assert_eq!(e.score, (s * 10_000.0).round() / 10_000.0);
    assert!(e
        .pairs
        .iter()
        .any(|p| p.query == "madura" && p.name == "maduro" && p.method == Method::Fuzzy));
    assert!(e
        .pairs
        .iter()
        .any(|p| p.query == "morros" && p.name == "moros" && p.method == Method::Spelling));
    assert_eq!(e.unmatched_query.len(), 1);
    assert!(e.unmatched_name.is_empty());
}

/// The documented formula, from the explanation's numbers alone.
fn recomputed(e: &interdict_matching::Explanation) -> f64 {
    let matched: f64 = e.pairs.iter().map(|p| p.weight * p.credit).sum();
    let denom: f64 = e
        .pairs
        .iter()
        .map(|p| p.weight + p.residual_penalty)
        .sum::<f64>()
        + e.unmatched_query
            .iter()
            .chain(&e.unmatched_name)
            .map(|u| u.penalty)
            .sum::<f64>();
    if denom == 0.0 {
        0.0
    } else {
        matched / denom * e.evidence_factor
    }
}

#[test]
fn explanations_reproduce_the_name_score() {
    for (a, b) in [
        ("Nicolas Maduro Morros Jr", "MADURO MOROS, Nicolas"),
        ("N. Maduro", "Nicolas Maduro Moros"),
        ("EMMA LLC", "Emma Daniels"),
        ("ALQAIDA", "AL QAIDA"),
        ("Salma Hassan", "SALAMEH, Ghassan"),
        ("Mohammed", "Mohammad"),
    ] {
        let (_, e) = compare(a, b, None);
        assert!(
            (recomputed(&e) - e.name_score).abs() < 0.002,
            "{a} / {b}: {} vs {}",
            recomputed(&e),
            e.name_score
        );
    }
    // An organisation's: the formula gives the score before calibration.
    for (a, b) in [
        ("Pua Securdty Company", "PUMA SECURITY COMPANY"),
        ("EMMA LLC", "Emma Daniels"),
        ("Korea Shipping Co", "KOREA ACHIM SHIPPING CO"),
    ] {
        let (s, e) = compare(a, b, Some(EntityKind::Organization));
        let raw = e.uncalibrated_name_score.expect("calibrated");
        assert!((recomputed(&e) - raw).abs() < 0.002, "{a} / {b}");
        assert!((NAME_V14.calibrated(raw, Some(EntityKind::Organization)) - s).abs() < 1e-3);
        assert!(s >= raw, "{a} / {b}: {s} < {raw}");
    }
    for q in [
        "V. V. Putin",
        "Nicolas Maduro",
        "Usama bin Laden",
        "AL QAIDA",
    ] {
        let hits = index().search(&Query::name(q), &SearchOptions::default());
        assert!(!hits.is_empty());
        for h in hits {
            let e = &h.explanation;
            let stated = e.uncalibrated_name_score.unwrap_or(e.name_score);
            assert!(
                (recomputed(e) - stated).abs() < 0.002,
                "{q} → {}: {} vs {stated}",
                h.matched_name,
                recomputed(e),
            );
        }
    }
}

fn entities() -> &'static Vec<Entity> {
    static E: OnceLock<Vec<Entity>> = OnceLock::new();
    E.get_or_init(|| {
        let lists = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/lists");
        let mut all = Vec::new();
        for file in ["ofac-sdn-2023-12-28", "un-consolidated-2026-02-27.xml.gz"] {
            let p = interdict_sources::load(&lists.join(file), &Default::default())
                .expect("bundled list loads");
            all.extend(p.entities);
        }
        all
    })
}

fn index() -> &'static MatchIndex {
    static I: OnceLock<MatchIndex> = OnceLock::new();
    I.get_or_init(|| MatchIndex::build(entities()))
}

fn synthetic(names: &[String]) -> Vec<Entity> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut e = Entity::new("test", i.to_string(), EntityKind::Person);
            e.names.push(Name::new(n.clone(), NameKind::Primary));
            e.names
                .push(Name::new(format!("{n} alias"), NameKind::WeakAlias));
            e
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Calibration keeps scores in [0, 1] and their order, leaves persons' alone, and the
    /// floor it gives bounds exactly the scores that calibrate to the threshold or above.
    #[test]
    fn calibration_is_monotone_and_its_floor_inverts_it(
        a in 0.0f64..=1.0,
        b in 0.0f64..=1.0,
        floor in 0.0f64..=1.0,
    ) {
        let org = Some(EntityKind::Organization);
        let (ca, cb) = (NAME_V14.calibrated(a, org), NAME_V14.calibrated(b, org));
        prop_assert!((0.0..=1.0).contains(&ca) && ca >= a);
        prop_assert!(a > b || ca <= cb + 1e-12, "{a} {b}: {ca} {cb}");
        for kind in [None, Some(EntityKind::Person), Some(EntityKind::Vessel)] {
            prop_assert_eq!(NAME_V14.calibrated(a, kind), a);
            prop_assert_eq!(NAME_V14.uncalibrated_floor(floor, kind), floor);
        }
        let raw = NAME_V14.uncalibrated_floor(floor, org);
        prop_assert!(raw <= floor);
        prop_assert!((NAME_V14.calibrated(raw, org) - floor).abs() < 1e-9);
        // A score above the floor calibrates to the threshold or above, one below it below.
        prop_assert!(a < raw + 1e-9 || ca >= floor - 1e-12, "{a} {raw}: {ca} {floor}");
        prop_assert!(a > raw - 1e-9 || ca <= floor + 1e-12, "{a} {raw}: {ca} {floor}");
    }

    #[test]
    fn compare_scores_are_finite_and_in_range(a in "\\PC{0,40}", b in "\\PC{0,40}") {
        let (s, e) = compare(&a, &b, None);
        prop_assert!(s.is_finite() && (0.0..=1.0).contains(&s), "{s}");
        prop_assert!(e.pairs.iter().all(|p| (0.0..=1.0).contains(&p.similarity)));
    }

    /// Deliberately asymmetric in general (unmatched query tokens cost more than unmatched
    /// name tokens); symmetric when every token finds its counterpart, as in a reordering.
    /// The words are ordinary name-like words: the analyser reads titles (`col`, `dr`) and
    /// legal forms by their position, so those may legitimately analyse differently reordered.
    #[test]
    fn compare_is_symmetric_for_reorderings(
        words in prop::collection::vec(
            "[b-df-hj-np-tv-z][aeiou][b-df-hj-np-tv-z][aeiou][a-z]{0,4}",
            1..6,
        )
        .prop_shuffle(),
        seed in any::<u64>(),
    ) {
        // The pattern also makes titles (`haji`, `sayed`), read as titles only before a name.
        prop_assume!(words.iter().all(|w| {
            analyze(&format!("{w} bakari")).tokens[0].class != TokenClass::Honorific
        }));
        let a = words.join(" ");
        let mut shuffled = words.clone();
        let k = (seed as usize) % shuffled.len();
        shuffled.rotate_left(k);
        let b = shuffled.join(" ");
        let (ab, ba) = (score(&a, &b), score(&b, &a));
        prop_assert!((ab - ba).abs() < 1e-9, "{a} / {b}: {ab} vs {ba}");
    }

    #[test]
    fn search_never_panics(
        name in "\\PC{0,60}",
        kind in prop::option::of(prop_oneof![
            Just(EntityKind::Person), Just(EntityKind::Organization), Just(EntityKind::Vessel)
        ]),
        year in prop::option::of(1900i16..2030),
        country in prop::option::of("\\PC{0,12}"),
        ids in prop::collection::vec("\\PC{0,15}", 0..3),
        limit in 0usize..30,
        threshold in prop_oneof![Just(0.0), 0.0f64..1.0, Just(f64::NAN), Just(2.0)],
    ) {
        let q = Query {
            name,
            kind,
            dob: year.map(PartialDate::year),
            country,
            identifiers: ids,
        };
        let hits = index().search(&q, &SearchOptions { limit, threshold });
        prop_assert!(hits.len() <= limit);
        for h in &hits {
            prop_assert!(h.score.is_finite() && (0.0..=1.0).contains(&h.score));
        }
        prop_assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn save_load_round_trips(
        names in prop::collection::vec("[A-Za-z][A-Za-z ,.'-]{0,30}", 1..30),
        query in "[A-Za-z ]{1,30}",
    ) {
        let index = MatchIndex::build(&synthetic(&names));
        let mut file = Vec::new();
        index.save(&mut file).expect("save");
        let loaded = MatchIndex::load(&file[..]).expect("load");
        prop_assert_eq!(&loaded, &index);
        let opts = SearchOptions { limit: 5, threshold: 0.0 };
        for q in [query.as_str(), names[0].as_str()] {
            prop_assert_eq!(
                loaded.search(&Query::name(q), &opts),
                index.search(&Query::name(q), &opts)
            );
        }
    }

    #[test]
    fn load_never_panics_on_garbage(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        prop_assert!(MatchIndex::load(&bytes[..]).is_err());
    }
}

#[test]
fn huge_inputs_are_quick() {
    let word: String = "abcdefghij".repeat(20_000);
    let started = std::time::Instant::now();
    let (s, _) = compare(&word, &format!("{word}x"), None);
    assert!(s < 1.0);
    let hits = index().search(
        &Query::name(format!("{word} {word}x Maduro")),
        &SearchOptions::default(),
    );
    assert!(hits.len() <= 10);
    // Abjad words pair by their consonants, with the other word's vowels between.
    let arabic: String = "بشار".repeat(20_000);
    let (s, _) = compare(&arabic, &format!("{arabic}ي"), None);
    assert!(s < 1.0);
    let hits = index().search(
        &Query::name(format!("{arabic} مادورو")),
        &SearchOptions::default(),
    );
    assert!(hits.len() <= 10);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn several_initials_together_count_for_more_than_each_alone() {
    let credits = |a: &str, b: &str| -> Vec<f64> {
        compare(a, b, Some(EntityKind::Person))
            .1
            .pairs
            .iter()
            .filter(|p| p.method == Method::Initial)
            .map(|p| p.credit)
            .collect()
    };
    assert_eq!(credits("D. MUTASA", "MUTASA, Didymus"), [0.85]);
    assert_eq!(
        credits("MUTASA, D. N. E.", "MUTASA, Didymus Noel Edwin"),
        [0.95, 0.95, 0.95]
    );
    // Three initials agreeing score above two of three, which score above one.
    let three = score("MUTASA, D. N. E.", "MUTASA, Didymus Noel Edwin");
    let two = score("MUTASA, D. N. X.", "MUTASA, Didymus Noel Edwin");
    let one = score("MUTASA, D. X. Y.", "MUTASA, Didymus Noel Edwin");
    assert!(three > two && two > one, "{three} {two} {one}");
    assert!(three >= 0.81, "{three}");
}

/// `compare` reads its first name as the screened one: its last word may be cut short
/// (`Method::Truncated`), the second name's may not.
#[test]
fn the_screened_names_last_word_may_be_cut_short() {
    let kind = Some(EntityKind::Organization);
    let (cut, e) = compare(
        "NATIONAL IRANIAN OIL COMP",
        "NATIONAL IRANIAN OIL COMPANY",
        kind,
    );
    assert!(
        e.pairs
            .iter()
            .any(|p| p.query == "comp" && p.name == "company" && p.method == Method::Truncated),
        "{e:#?}"
    );
    let (reversed, e) = compare(
        "NATIONAL IRANIAN OIL COMPANY",
        "NATIONAL IRANIAN OIL COMP",
        kind,
    );
    assert!(
        e.pairs.iter().all(|p| p.method != Method::Truncated),
        "{e:#?}"
    );
    assert!(cut > reversed, "{cut} {reversed}");
    // With no lists, only a variant table tells a whole word (`Ali`, of the `Ali` family):
    // it counts less than a word nobody writes whole (`Serge`, by `compare`'s lights).
    let person = Some(EntityKind::Person);
    let credit = |a: &str, b: &str, q: &str| {
        let (_, e) = compare(a, b, person);
        e.pairs
            .iter()
            .find(|p| p.query == q && p.method == Method::Truncated)
            .map(|p| p.credit)
    };
    assert_eq!(
        credit("Pavel Serge", "GRACHEV, Pavel Sergeyevich", "serge"),
        Some(0.9)
    );
    assert_eq!(credit("Ahmed Ali", "ALIYEV, Ahmed", "ali"), Some(0.7));
}

/// A word of a name written in Cyrillic may be declined (`Группа Вагнера`, "Wagner's group";
/// `Маттиаса Варнига`, "of Matthias Warnig"): its stem pairs with the word it spells, at
/// `inflection`. Not a name in Latin letters, nor a word a variant table knows (`Мария`).
#[test]
fn a_declined_word_of_a_cyrillic_name_pairs_by_its_stem() {
    let method = |a: &str, b: &str, word: &str| {
        compare(a, b, None)
            .1
            .pairs
            .into_iter()
            .find(|p| p.name == word)
            .map(|p| (p.method, p.similarity))
    };
    assert_eq!(
        method("Группа Вагнера", "WAGNER GROUP", "wagner"),
        Some((Method::Inflection, NAME_V14.inflection))
    );
    assert_eq!(
        method("Маттиаса Варнига", "WARNIG, Matthias", "warnig"),
        Some((Method::Inflection, NAME_V14.inflection))
    );
    assert_ne!(
        method("Gruppa Vagnera", "WAGNER GROUP", "wagner").map(|p| p.0),
        Some(Method::Inflection)
    );
    assert_ne!(
        method("Мария Петрова", "MARI PETROVA", "mari").map(|p| p.0),
        Some(Method::Inflection)
    );
}

/// Persian writes compound given names as one word (`محمدعلی`, Mohammad Ali): without its short
/// vowels, it is the two listed words joined, whichever name is screened.
#[test]
fn an_abjad_word_may_be_two_words_written_together() {
    let (ab, ba) = (
        compare("جعفری محمدعلی", "JAFARI, Mohammad Ali", None).0,
        compare("JAFARI, Mohammad Ali", "جعفری محمدعلی", None).0,
    );
    assert!(ab >= DEFAULT_THRESHOLD, "{ab}");
    assert_eq!(ab, ba);
    // Other consonants are another name.
    assert!(compare("جعفری محمدعلی", "JAFARI, Hamid Ali", None).0 < DEFAULT_THRESHOLD);
}

/// Before another word ة sounds `t`, and the lists write the names of bodies so: JAMAAT,
/// MUNAZZAMAT, against `جماعة` and `منظمة` written in Arabic letters.
#[test]
fn a_final_ta_marbuta_may_be_written_at() {
    for (arabic, latin) in [("جماعة", "JAMAAT"), ("منظمة", "MUNAZZAMAT")] {
        let (score, explanation) = compare(arabic, latin, None);
        assert!(score >= DEFAULT_THRESHOLD, "{arabic}: {score}");
        assert!(explanation
            .pairs
            .iter()
            .all(|p| p.method == Method::Consonants));
    }
}
