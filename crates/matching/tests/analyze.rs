//! Name analysis on real list names, and its invariants over arbitrary input.

use interdict_matching::analyze::{phonetic_key, skeleton, spelling_key};
use interdict_matching::{analyze, TokenClass};
use proptest::prelude::*;

fn texts(name: &str) -> Vec<String> {
    analyze(name).tokens.into_iter().map(|t| t.text).collect()
}

fn keys(name: &str) -> Vec<String> {
    analyze(name)
        .tokens
        .iter()
        .map(|t| t.key().to_string())
        .collect()
}

/// Every name of each group analyses to the keys of the group's first.
fn same_keys(groups: &[&[&str]]) {
    for group in groups {
        let first = keys(group[0]);
        for name in *group {
            assert_eq!(keys(name), first, "{name} / {}", group[0]);
        }
    }
}

fn classes(name: &str) -> Vec<TokenClass> {
    analyze(name).tokens.into_iter().map(|t| t.class).collect()
}

#[test]
fn hyphens_and_apostrophes() {
    assert_eq!(texts("AL-QA'IDA"), texts("AL QAIDA"));
    assert_eq!(texts("AL-QA'IDA"), ["al", "qaida"]);
    assert_eq!(
        classes("AL-QA'IDA"),
        [TokenClass::Particle, TokenClass::Word]
    );
}

#[test]
fn surname_comma_given() {
    assert_eq!(
        texts("MADURO MOROS, Nicolás"),
        ["maduro", "moros", "nicolas"]
    );
}

/// A Chinese company's name in Han characters: its generic words in English, as the lists
/// write them (HUAXIN SHIPPING (HONGKONG) LTD is un:KPe.059, 華信船務(香港)有限公司 in the UN
/// list), its own name and place romanised and joined; a person's name stays surname apart.
#[test]
fn han_organisation_names_write_their_generic_words_in_english() {
    assert_eq!(
        texts("深圳市信诺电子科技有限公司"),
        ["shenzhen", "xinnuo", "electronics", "technology", "coltd"]
    );
    assert_eq!(
        classes("深圳市信诺电子科技有限公司").last(),
        Some(&TokenClass::LegalForm)
    );
    assert_eq!(
        texts("華信船務(香港)有限公司"),
        ["huaxin", "shipping", "hong", "kong", "coltd"]
    );
    assert_eq!(texts("习近平"), ["xi", "jinping"]);
    // `市` (city) only after a name: a short run is a person's name.
    assert_eq!(texts("市长"), ["shi", "zhang"]);
}

#[test]
fn cyrillic_is_romanised() {
    let a = analyze("Николас Мадуро");
    assert_eq!(texts("Николас Мадуро"), ["nikolas", "maduro"]);
    assert!(
        a.rules.iter().any(|r| r == "translit:Cyrl-Latn"),
        "{:?}",
        a.rules
    );
    // The dictionary ties the Cyrillic word to the Latin spelling of the list.
    assert_eq!(keys("Николас Мадуро")[0], keys("MADURO MOROS, Nicolas")[2]);
    let e = analyze("Евгений Пригожин");
    assert_eq!(e.tokens[0].text, "yevgeniy");
    assert_eq!(e.tokens[0].key(), analyze("Evgeniy").tokens[0].key());
    assert_eq!(e.tokens[0].key(), analyze("Yevgeny").tokens[0].key());
}

#[test]
fn legal_forms_share_canonicals() {
    for name in [
        "OOO ROSNEFT",
        "Rosneft LLC",
        "ООО Роснефть",
        "ROSNEFT L.L.C.",
        "Rosneft Limited Liability Company",
    ] {
        let a = analyze(name);
        let forms: Vec<_> = a
            .tokens
            .iter()
            .filter(|t| t.class == TokenClass::LegalForm)
            .map(|t| t.canonical.clone())
            .collect();
        assert_eq!(forms, [Some("llc".to_string())], "{name}: {:?}", a.tokens);
        assert!(a.tokens.iter().any(|t| t.text == "rosneft"), "{name}");
    }
    // "Company" first in Persian and Arabic names, and last in English; in a Russian group of
    // companies (the UK's ГРУППА КОМПАНИЙ РЕНОВА for RENOVA GROUP).
    for name in [
        "شرکت بهارستان کیش",
        "شركة الكوثر",
        "Sherkat Baharestan Kish",
        "Baharestan Kish Company",
        "Группа Компаний \"Ренова\"",
        "Kompaniya Renova",
    ] {
        let forms: Vec<_> = analyze(name)
            .tokens
            .into_iter()
            .filter(|t| t.class == TokenClass::LegalForm)
            .map(|t| t.canonical)
            .collect();
        assert_eq!(forms, [Some("co".to_string())], "{name}");
    }
    let emma = analyze("EMMA LLC");
    assert_eq!(emma.tokens[0].text, "emma");
    assert_eq!(emma.tokens[0].class, TokenClass::Word);
    assert_eq!(emma.tokens[1].class, TokenClass::LegalForm);
    for (name, canonical) in [
        ("ANGLO-CARIBBEAN CO., LTD.", "coltd"),
        ("GRUPO S.A. DE C.V.", "sadecv"),
        ("GRUPO SA DE CV", "sadecv"),
        ("BANCO S.A.", "sa"),
        ("SBERBANK PJSC", "pjsc"),
        ("PAO SBERBANK", "pjsc"),
        ("ZAO ALFA", "cjsc"),
        ("AO KONTSERN", "jsc"),
        ("SIEMENS AG", "ag"),
        ("SOME TRADING FZE", "fze"),
        ("SOME SDN. BHD.", "sdnbhd"),
        ("SOME PVT LTD", "pvtltd"),
        // Latin American forms written out and abbreviated.
        ("SMILEWALLET SOCIEDAD POR ACCIONES SIMPLIFICADA", "sas"),
        ("SMILEWALLET S.A.S.", "sas"),
        (
            "ENVIGH SOCIEDAD DE RESPONSABILIDAD LIMITADA DE CAPITAL VARIABLE",
            "sderl",
        ),
        ("ENVIGH, S. DE R.L. DE C.V.", "sderl"),
        ("IMPORTADORA SILVANIA COMPANIA ANONIMA", "sa"),
        ("IMPORTADORA SILVANIA, C.A.", "sa"),
        ("MINERA SOCIEDAD ANONIMA CERRADA", "sac"),
        ("MINERA S.A.C.", "sac"),
    ] {
        let a = analyze(name);
        let forms: Vec<_> = a
            .tokens
            .iter()
            .filter(|t| t.class == TokenClass::LegalForm)
            .map(|t| t.canonical.as_deref())
            .collect();
        assert_eq!(forms, [Some(canonical)], "{name}: {:?}", a.tokens);
    }
    // Forms that are also particles or words stay so where a form cannot stand.
    assert_eq!(
        classes("AS-SAHAB"),
        [TokenClass::Particle, TokenClass::Word]
    );
    assert_eq!(
        classes("IYAD AG GHALI"),
        [TokenClass::Word, TokenClass::Particle, TokenClass::Word]
    );
    assert_eq!(classes("LIMITED"), [TokenClass::Word]);
    // OOO and OAO are legal forms wherever they stand (after a descriptor: `Организация ООО
    // "РАДИОАВТОМАТИКА"`); neither is anybody's name.
    assert_eq!(
        classes("Организация ООО Радиоавтоматика")[1],
        TokenClass::LegalForm
    );
    assert_eq!(classes("GRUPPA OAO SIBUR")[1], TokenClass::LegalForm);
    // English function words of organisation names weigh as particles.
    assert_eq!(
        classes("KOREA GENERAL CORPORATION FOR EXTERNAL CONSTRUCTION")[3],
        TokenClass::Particle
    );
    assert_eq!(
        classes("BANK OF EAST ASIA"),
        [
            TokenClass::Word,
            TokenClass::Particle,
            TokenClass::Word,
            TokenClass::Word
        ]
    );
}

#[test]
fn legal_forms_with_a_typo_or_a_word_left_out() {
    let form = |name: &str| -> Vec<(String, Option<String>)> {
        analyze(name)
            .tokens
            .into_iter()
            .filter(|t| t.class == TokenClass::LegalForm)
            .map(|t| (t.text, t.canonical))
            .collect()
    };
    let one = |text: &str, canonical: &str| vec![(text.to_string(), Some(canonical.to_string()))];
    // Real listed names with the typos and gaps screened data has.
    assert_eq!(
        form("Joint Stouck Compzny Kredo"),
        one("jointstockcompany", "jsc")
    );
    assert_eq!(
        form("LIMITED LIABILITY COFMPANY ALTERNATIVA"),
        one("limitedliabilitycompany", "llc")
    );
    assert_eq!(
        form("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU IQ COMPONENTS"),
        form("LLC IQ COMPONENTS")
            .into_iter()
            .map(|(_, c)| ("obshchestvosogranichennoyotvetstvennostyu".to_string(), c))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        form("Joint Company Promtech Ulyanovsk"),
        one("jointstockcompany", "jsc")
    );
    assert_eq!(
        form("Iran Foreign Investment Compnay"),
        one("company", "co")
    );
    // Of a form of four words, a short one left out: the three others leave no doubt.
    assert_eq!(
        form("Agropecuaria Mais Sociedad Acciones Simplificada"),
        one("sociedadporaccionessimplificada", "sas")
    );
    assert_eq!(
        form("Obshchestvo Ogranichennoy Otvetstvennostyu Acme"),
        one("obshchestvosogranichennoyotvetstvennostyu", "llc")
    );
    // Not a letter of a form written in letters: `S. de C.V.` is no `S.A. de C.V.`.
    assert!(form("ACME S. DE C.V.")
        .iter()
        .all(|(_, c)| c.as_deref() != Some("sadecv")));
    // A form of four words or more with one edit in a short word: the other words anchor it.
    for name in [
        "SUMILAB, S.A. DE J.V.",
        "BODECARNE, S.A. ED C.V.",
        "COMERCIALIZADORA CACHO S.A. DOE C.V.",
        "MINERA RIO PRESIDIO S.NA. DE C.V.",
        "CIRCUITO ELECTRONICO S.A. DE C.GV.",
    ] {
        assert_eq!(
            form(name),
            one("sadecv", "sadecv"),
            "{name}: {:?}",
            texts(name)
        );
    }
    // Three words are too few to tell a typo from other words.
    assert_eq!(form("ACME S.A. DA"), vec![]);
    // The token takes the table's spelling, so analysis stays idempotent.
    assert_eq!(
        texts("Joint Stok Company Kredo"),
        texts("jointstockcompany kredo")
    );
    assert_eq!(texts("SUMILAB S.A. DE J.V."), texts("sumilab sadecv"));
    // Name words near a form stay name words: not at the end, or too short to tell.
    assert_eq!(
        classes("Limitex Holdings"),
        [TokenClass::Word, TokenClass::Word]
    );
    assert_eq!(classes("Acme Corf"), [TokenClass::Word, TokenClass::Word]);
    assert_eq!(classes("Joint Stock"), [TokenClass::Word, TokenClass::Word]);
    // The commonest short forms, last, with a letter dropped or two letters swapped.
    for (typo, form_) in [
        ("HANDYMAN TD", "HANDYMAN LTD"),
        ("SYRIAN METALS LC", "SYRIAN METALS LLC"),
        ("ACME LDT", "ACME LTD"),
        ("ACME IC", "ACME INC"),
        ("ACME GMH", "ACME GMBH"),
        // `Lt.` opens a name as a lieutenant's title; at the end it is `LTD` less a letter.
        ("NEW AHMADI LT.", "NEW AHMADI LTD."),
    ] {
        assert!(!form(form_).is_empty(), "{form_}");
        assert_eq!(form(typo), form(form_), "{typo}");
        assert_eq!(texts(typo), texts(form_), "{typo}");
    }
    // Not a letter changed, not before the end, not alone.
    assert_eq!(classes("Acme Ltx"), [TokenClass::Word, TokenClass::Word]);
    assert_eq!(classes("TD Holdings"), [TokenClass::Word, TokenClass::Word]);
    assert_eq!(classes("TD"), [TokenClass::Word]);
    assert_eq!(
        classes("Lt. Ahmadi Khan"),
        [TokenClass::Honorific, TokenClass::Word, TokenClass::Word]
    );
}

/// A name field of fixed width or a payment message's 35-character line cuts a name inside
/// the legal form that ends it: the words written are the form's start, the last of them cut.
/// Real SDN names: DOLPHIN TRADING COMPANY LIMITED (23670), BLANC BANK LIMITED LIABILITY
/// COMPANY (45809), AGROPECUARIA MAIS SOCIEDAD POR ACCIONES SIMPLIFICADA (20208).
#[test]
fn a_legal_form_cut_short_is_the_legal_form() {
    let last = |name: &str| analyze(name).tokens.pop().expect("tokens");
    for (cut, whole) in [
        (
            "DOLPHIN TRADING COMPANY LIMI",
            "DOLPHIN TRADING COMPANY LIMITED",
        ),
        (
            "BLANC BANK LIMITED LIABILITY COM",
            "BLANC BANK LIMITED LIABILITY COMPANY",
        ),
        (
            "AGROPECUARIA MAIS SOCIEDAD POR ACCI",
            "AGROPECUARIA MAIS SOCIEDAD POR ACCIONES SIMPLIFICADA",
        ),
    ] {
        let (c, w) = (last(cut), last(whole));
        assert_eq!(c.class, TokenClass::LegalForm, "{cut}: {c:?}");
        assert_eq!((c.text, c.canonical), (w.text, w.canonical), "{cut}");
    }
    // Two letters begin too many words; a word that goes on otherwise is no start of the form.
    for name in [
        "DOLPHIN TRADING COMPANY LI",
        "DOLPHIN TRADING COMPANY LIMITS",
    ] {
        assert_eq!(last(name).class, TokenClass::Word, "{name}");
    }
}

#[test]
fn a_given_name_in_other_languages_shares_its_family() {
    same_keys(&[
        &["William", "Guillaume", "Wilhelm", "Guillermo", "Guglielmo"][..],
        &["Pavel", "Paul", "Pablo", "Paolo", "Pawel"],
        &["Mikhail", "Michael", "Miguel", "Michele", "Mykhailo"],
        &["Alexey", "Alexios", "Aleksei", "Oleksiy"],
        &["Nikolai", "Nicholas", "Nicolas", "Mykola", "Nikolaos"],
        &["Hussein", "Houcine", "Husayn"],
        &["Ismail", "Ismael", "Smail"],
    ]);
    // Forms that are different names within one language stay apart.
    assert_ne!(keys("John"), keys("Ivan"));
    assert_ne!(keys("Juan"), keys("Ivan"));
    assert_ne!(keys("James"), keys("Jacob"));
    assert_ne!(keys("Joseph"), keys("Yusuf"));
    assert_ne!(keys("Yuri"), keys("George"));
}

#[test]
fn turkish_and_maghrebi_spellings_of_arabic_names_share_their_family() {
    same_keys(&[
        &["Jawad", "Javad", "Cevat"][..],
        &["Mas'ud", "Masoud", "Mesut"],
        &["Jafar", "Cafer", "Gaafar", "Jaafar"],
        &["Rajab", "Recep"],
        &["Khalil", "Halil"],
        &["Ridwan", "Redouane", "Ridvan", "Radwan"],
        &["Ziyad", "Zied", "Ziad"],
        &["Subhi", "Sobhy"],
        &["Shafiq", "Chafik", "Chafiq"],
        &["Sharif", "Cherif", "Sherif"],
        &["Isa", "Aissa", "Eissa"],
    ]);
    // Different names that look alike stay apart.
    assert_ne!(keys("Jamal"), keys("Kamal"));
    assert_ne!(keys("Majid"), keys("Hamid"));
    assert_ne!(keys("Zaki"), keys("Zakariya"));
}

#[test]
fn chinese_and_korean_surnames_in_their_romanisations() {
    same_keys(&[
        &["Zhang", "Chang", "Cheung"][..],
        &["Zhou", "Chou", "Chow"],
        &["Xie", "Hsieh", "Tse"],
        &["Pak", "Park", "Bak"],
        &["Choe", "Choi"],
        &["Ri", "Lee", "Li", "Yi"],
    ]);
    // One spelling of two surnames joins neither.
    assert_ne!(keys("Wong"), keys("Wang"));
    assert_ne!(keys("Wong"), keys("Huang"));
    assert_ne!(keys("Cheng"), keys("Zheng"));
    assert_ne!(keys("Tan"), keys("Chen"));
}

#[test]
fn east_slavic_names_and_patronymics() {
    // Ukrainian, Belarusian and Russian forms of one name and of one patronymic.
    same_keys(&[
        &["Serhiy", "Sergey", "Sergei", "Siarhei"][..],
        &["Mykola", "Nikolai", "Nikolay"],
        &["Serhiyovych", "Sergeyevich", "Sergeevich"],
        &["Volodymyrovych", "Vladimirovich", "Uladzimiravich"],
        &[
            "Mykolaiovych",
            "Nikolaevich",
            "Nikolajewitsch",
            "Николаевич",
        ],
        &["Jewgenjewitsch", "Yevgenyevich", "Yevhenovych"],
        &["Hryhorovych", "Grigorievich", "Grigoryevich"],
        &["Volodymyrivna", "Vladimirovna"],
        // Built on Alexandr, Aleksandr or Oleksandr, not on the woman's name Alexandra.
        &[
            "Alexandrovich",
            "Aleksandrovich",
            "Aleksandrovitch",
            "Oleksandrovych",
        ],
        &["Stanislavovich", "Stanislawowitsch"],
    ]);
    // Different names, different patronymics; the gender stays.
    assert_ne!(keys("Sergeyevich"), keys("Nikolaevich"));
    assert_ne!(keys("Vladimirovich"), keys("Vladimirovna"));
}

#[test]
fn honorifics() {
    assert_eq!(
        classes("General Hasan"),
        [TokenClass::Honorific, TokenClass::Word]
    );
    assert_eq!(
        classes("Sheikh Haji Ahmed"),
        [
            TokenClass::Honorific,
            TokenClass::Honorific,
            TokenClass::Word
        ]
    );
    assert_eq!(
        classes("Dr. Ayman"),
        [TokenClass::Honorific, TokenClass::Word]
    );
    // The title a Nigerian or Congolese notable bears (the UN's "Chief Kahwa", an alias of
    // KHAWA PANGA MANDRO).
    assert_eq!(
        classes("Chief Kahwa"),
        [TokenClass::Honorific, TokenClass::Word]
    );
    // A surname that is also a title, before the comma of `SURNAME, Given` (OFAC's SHEIKH,
    // Umair Naeem and HAJJI, Muhammad Fawzi); a title before the surname stays one.
    assert_eq!(
        classes("SHEIKH, Umair Naeem"),
        [TokenClass::Word, TokenClass::Word, TokenClass::Word]
    );
    assert_eq!(
        classes("HAJJI, Muhammad Fawzi"),
        [TokenClass::Word, TokenClass::Word, TokenClass::Word]
    );
    // Nor in an organisation's name.
    assert_eq!(
        classes("GENERAL TECHNOLOGY LIMITED"),
        [TokenClass::Word, TokenClass::Word, TokenClass::LegalForm]
    );
    assert_eq!(
        classes("GENERAL S.A. DE C.V."),
        [TokenClass::Word, TokenClass::LegalForm]
    );
    assert_eq!(
        classes("GENERAL SADECV"),
        [TokenClass::Word, TokenClass::LegalForm]
    );
    // The UK list's `So-called` before the name of a body it does not recognise; `So` alone
    // is a Korean surname.
    assert_eq!(
        classes("So-called 'Donbas People's Militia'"),
        [
            TokenClass::Honorific,
            TokenClass::Honorific,
            TokenClass::Word,
            TokenClass::Word,
            TokenClass::Word
        ]
    );
    assert_eq!(classes("SO Chang Ho")[0], TokenClass::Word);
    // A name of letters only is an acronym: one word.
    let a = analyze("T.D.G.");
    assert_eq!(a.tokens.len(), 1);
    assert_eq!(
        (a.tokens[0].text.as_str(), a.tokens[0].class),
        ("tdg", TokenClass::Word)
    );
    assert_eq!(classes("J. R."), [TokenClass::Word]);
    // A title needs a word after it: the vessel LADY D.
    assert_eq!(classes("LADY D"), [TokenClass::Word, TokenClass::Initial]);
    assert_eq!(
        classes("Dr. SMITH, John"),
        [TokenClass::Honorific, TokenClass::Word, TokenClass::Word]
    );
    // Not titles: in the middle of a name, or the name itself.
    assert_eq!(
        classes("ARMY GENERAL STAFF"),
        [TokenClass::Word, TokenClass::Word, TokenClass::Word]
    );
    assert_eq!(
        classes("ABDUL AZIZ AL-SHEIKH"),
        [
            TokenClass::Word,
            TokenClass::Word,
            TokenClass::Particle,
            TokenClass::Word
        ]
    );
    assert_eq!(classes("Imam"), [TokenClass::Word]);
}

/// A word a hyphen joins to the word before continues a compound: `bek` of `Yunus-Bek`, in
/// Latin and Cyrillic letters; so do a particle a hyphen joins to a word and the word after it
/// (`al` and `din` of `Nasir-al-Din`, SDN 22080's name); not a word after a particle that
/// begins the run (`AL-`), nor across a spaced dash.
#[test]
fn hyphens_join_the_words_of_a_compound() {
    let compounds = |name: &str| -> Vec<String> {
        let a = analyze(name);
        a.tokens
            .iter()
            .enumerate()
            .filter(|(i, _)| a.compounds & (1u64 << i) != 0)
            .map(|(_, t)| t.text.clone())
            .collect()
    };
    assert_eq!(compounds("EVKUROV, Yunus-Bek"), ["bek"]);
    assert_eq!(compounds("Юнус-Бек Евкуров"), ["bek"]);
    assert_eq!(compounds("KO, Ch'o'l-Chae"), ["chae"]);
    assert_eq!(compounds("AL-BANAI, Abd al-Muayyid"), ["muayyid"]);
    assert_eq!(compounds("Jean\u{2010}Francis Bozize"), ["francis"]);
    assert!(compounds("AL-BAGHDADI, Abu Bakr").is_empty());
    assert_eq!(
        compounds("SALIM, Muhammad Ayman Nasir-al-Din"),
        ["al", "din"]
    );
    assert!(compounds("AL BAGHDADI, Ali Al-Mahmoudi").is_empty());
    assert!(compounds("Abu Bakr al Baghdadi").is_empty());
    assert!(compounds("Jean - Francis").is_empty());
    assert!(compounds("Jean Francis").is_empty());
    assert!(compounds("JSC ALFA-BANK").len() == 1);
}

/// Titles abbreviated to three letters or fewer are titles in Latin letters only: `ادم`
/// (Adam) romanises as `adm`, the abbreviation of admiral, and stays a name; `Adm.` typed is
/// a title, and so is `حاجي` (haji), a title written whole.
#[test]
fn abbreviated_titles_are_latin() {
    assert_eq!(classes("ادم يونس"), [TokenClass::Word, TokenClass::Word]);
    assert_eq!(
        classes("Adm. Yunus Adam"),
        [TokenClass::Honorific, TokenClass::Word, TokenClass::Word]
    );
    assert_eq!(classes("Др Иванов")[0], TokenClass::Word);
    assert_eq!(classes("Dr Ivanov")[0], TokenClass::Honorific);
    assert_eq!(classes("حاجي محمد")[0], TokenClass::Honorific);
}

/// A word the dictionary romanises as a title is one (`شيخ` is `shikh`, Sheikh). An article
/// before a title makes a family name as often as a title (`El-Hajj`, `Al-Sheikh`): a word.
#[test]
fn titles_in_arabic_letters() {
    use TokenClass::{Honorific, Particle, Word};
    assert_eq!(classes("شيخ عباس فرح"), [Honorific, Word, Word]);
    assert_eq!(classes("El-Hajj Hassan"), [Particle, Word, Word]);
    assert_eq!(classes("AL-SHEIKH, Abdulaziz")[1], Word);
}

#[test]
fn initials_and_numbers() {
    assert_eq!(
        classes("JOHN A. SMITH 2"),
        [
            TokenClass::Word,
            TokenClass::Initial,
            TokenClass::Word,
            TokenClass::Number
        ]
    );
}

#[test]
fn variants_share_canonicals() {
    same_keys(&[
        &[
            "Mohamed", "Muhammad", "Mohammed", "Mohammad", "Muhammed", "Mohamad",
        ][..],
        &["Yusuf", "Yousef", "Youssef"],
        &["Hussein", "Husayn", "Hussain", "Hosein"],
        &["Osama", "Usama"],
        &["Qaddafi", "Gaddafi", "Kadhafi", "Qadhafi"],
        &["Aleksandr", "Alexander"],
        &["Yevgeny", "Evgeny", "Evgeniy", "Yevgeniy"],
        &["Abdul Rahman", "Abd al-Rahman", "Abdel Rahman"],
    ]);
    let a = analyze("Mohamed");
    assert!(
        a.rules.iter().any(|r| r == "variant:mohamed→muhammad"),
        "{:?}",
        a.rules
    );
    for (a, b) in [("Maria", "Mario"), ("Ivan", "Ivana"), ("Hasan", "Husayn")] {
        assert_ne!(keys(a), keys(b), "{a} and {b} merged");
    }
}

/// UN QDi.006: the original-script name and the Latin primary name.
#[test]
fn arabic_original_script_matches_latin_name() {
    let arabic = analyze("أيمن محمد ربيع الظواهري");
    let latin = analyze("Ayman Muhammad Rabi al-Zawahiri");
    assert_eq!(arabic.script, interdict_model::Script::Arabic);
    assert!(arabic.rules.iter().any(|r| r == "translit:Arab-Latn"));
    let sk = |a: &interdict_matching::AnalyzedName| -> Vec<String> {
        a.tokens.iter().map(|t| skeleton(&t.text)).collect()
    };
    let (sa, sl) = (sk(&arabic), sk(&latin));
    assert_eq!(sa.len(), sl.len(), "{sa:?} {sl:?}");
    let same = sa.iter().zip(&sl).filter(|(a, b)| a == b).count();
    assert!(same >= 4, "{sa:?} vs {sl:?}");
    // The dictionary gives the common names their canonical spellings.
    assert_eq!(arabic.tokens[1].key(), latin.tokens[1].key());
    assert_eq!(arabic.tokens[0].key(), latin.tokens[0].key());
}

#[test]
fn keys_api() {
    assert_eq!(phonetic_key("mohammed"), phonetic_key("muhammad"));
    assert_eq!(skeleton("mohammed"), "mhmd");
    assert_eq!(skeleton("mhmd"), "mhmd");
}

#[test]
fn degenerate_input() {
    for s in ["", " ", "-", "'", "...", "\u{200c}", "\u{301}", "ـ", "ّ"] {
        let a = analyze(s);
        assert!(a.tokens.is_empty(), "{s:?}: {:?}", a.tokens);
    }
}

fn token_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,40}",
        "[a-zA-Z .,'-]{0,40}",
        "[а-яА-ЯёЁ -]{0,30}",
        "[\u{0600}-\u{06FF} ]{0,30}",
        "[\u{0370}-\u{03FF}\u{05D0}-\u{05EA}\u{AC00}-\u{AC40}\u{4E00}-\u{4E40} ]{0,20}",
        // Notes of birth after a name, and `born` where it is none.
        "[a-z]{2,8} ([a-z]{2,8} )?(born )?((in|on) )?([a-z]{2,8} )?([0-9]{1,4} )?[a-z]{0,8}",
        "(llc|s\\.a\\.|co\\.,ltd\\.|ooo|general|al|abd|bin|de|mr|a|1|ag|as|sa) {0,2}(llc|s\\.a\\.|co|ltd|ooo|general|al|abd|bin|x|ag|as|rahman){0,1} ?(de c\\.v\\.|el|sheikh|y|7){0,1}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn tokens_are_lower_case_ascii_alphanumerics(s in token_strategy()) {
        let a = analyze(&s);
        for t in &a.tokens {
            prop_assert!(!t.text.is_empty());
            prop_assert!(t.text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()), "{:?}", t);
            if let Some(c) = &t.canonical {
                prop_assert!(!c.is_empty());
                prop_assert!(c.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()), "{:?}", t);
            }
        }
    }

    /// A hyphen separates words as a space does, and only marks compounds: each a word after
    /// a word or a compound's particle, or a particle after a word, never the first token.
    #[test]
    fn a_hyphen_only_marks_compounds(s in token_strategy()) {
        let (a, b) = (analyze(&s), analyze(&s.replace('-', " ")));
        prop_assert_eq!(&a.tokens, &b.tokens);
        prop_assert_eq!(b.compounds, 0);
        for i in (0..a.tokens.len().min(64)).filter(|&i| a.compounds & (1u64 << i) != 0) {
            prop_assert!(i > 0, "{:?}", a);
            let (this, before) = (a.tokens[i].class, a.tokens[i - 1].class);
            let compound_particle = before == TokenClass::Particle && a.compounds & (1u64 << (i - 1)) != 0;
            prop_assert!(
                this == TokenClass::Word && (before == TokenClass::Word || compound_particle)
                    || this == TokenClass::Particle && before == TokenClass::Word,
                "{:?}",
                a
            );
        }
        prop_assert!(a.compounds >> a.tokens.len().min(63) == 0 || a.tokens.len() >= 64);
    }

    #[test]
    fn analysis_is_idempotent(s in token_strategy()) {
        let a = analyze(&s);
        let joined: Vec<&str> = a.tokens.iter().map(|t| t.text.as_str()).collect();
        let b = analyze(&joined.join(" "));
        // Dictionary canonicals come from the original script; the rest must be identical.
        let strip = |v: &[interdict_matching::Token]| -> Vec<(String, TokenClass)> {
            v.iter().map(|t| (t.text.clone(), t.class)).collect()
        };
        // A title before a comma is a surname (`SHEIKH, Umair`), and a title in the joined
        // text: the texts agree, the classes may not.
        if s.contains(',') {
            let texts = |v: &[interdict_matching::Token]| -> Vec<String> {
                v.iter().map(|t| t.text.clone()).collect()
            };
            prop_assert_eq!(texts(&a.tokens), texts(&b.tokens));
            return Ok(());
        }
        // Titles of a name in another script are read from it: a word it romanises as an
        // abbreviated title (`ادم`, `adm`) is a word, and one the dictionary knows as a title
        // (`الشيخ`, `al shikh`) is a title, which the romanised text may read otherwise.
        if !matches!(a.script, interdict_model::Script::Latin | interdict_model::Script::Other) {
            let texts = |v: &[interdict_matching::Token]| -> Vec<String> {
                v.iter().map(|t| t.text.clone()).collect()
            };
            prop_assert_eq!(texts(&a.tokens), texts(&b.tokens));
            for (x, y) in a.tokens.iter().zip(&b.tokens) {
                let title = x.class == TokenClass::Honorific || y.class == TokenClass::Honorific;
                prop_assert!(x.class == y.class || title, "{:?} {:?}", x, y);
            }
            return Ok(());
        }
        prop_assert_eq!(strip(&a.tokens), strip(&b.tokens));
        if a.script == interdict_model::Script::Latin {
            prop_assert_eq!(a.tokens, b.tokens);
        }
    }

    #[test]
    fn keys_never_panic(s in "[a-z0-9]{0,30}") {
        let _ = phonetic_key(&s);
        let k = skeleton(&s);
        prop_assert!(k.len() <= 2 * s.len());
    }

    #[test]
    fn spelling_keys_fold_conventions_only(s in "[a-z]{0,20}") {
        let k = spelling_key(&s);
        prop_assert!(k.bytes().all(|b| b.is_ascii_lowercase()), "{k}");
        // No letter twice in a row: doubled letters are one convention apart from single ones.
        prop_assert!(k.as_bytes().windows(2).all(|w| w[0] != w[1]), "{s} → {k}");
        prop_assert!(k.len() <= 2 * s.len());
        // `w` and `v` are one letter in every convention the key folds.
        prop_assert_eq!(spelling_key(&s.replace('w', "v")), k);
    }

    #[test]
    fn spelling_keys_ignore_doubled_consonants(
        s in "[a-z]{1,12}",
        c in "[bflmnrv]",
        i in 0usize..13,
    ) {
        // Doubling a consonant that takes part in no digraph is a convention, not a new name.
        let i = i % (s.len() + 1);
        let mut single = s.clone();
        single.insert_str(i, &c);
        let mut doubled = single.clone();
        doubled.insert_str(i, &c);
        let s = single;
        prop_assert_eq!(spelling_key(&doubled), spelling_key(&s));
    }
}

/// UN aliases that carry their bearer's birth: TAi.101's `Mohammad Ishaq Akhund born in 1963`,
/// LYi.019's `Safia Farkash Mohammed Al-Hadad, born 1 Jan. 1953 (Oman passport no. …)`. The
/// name ends before `born`; a surname Born (no date follows) stays.
#[test]
fn a_note_of_birth_after_a_name_is_no_part_of_it() {
    let texts =
        |name: &str| -> Vec<String> { analyze(name).tokens.into_iter().map(|t| t.text).collect() };
    assert_eq!(
        texts("Mohammad Ishaq Akhund born in 1963"),
        texts("Mohammad Ishaq Akhund")
    );
    assert_eq!(
        texts(
            "Safia Farkash Mohammed Al-Hadad, born 1 Jan. 1953 (Oman passport no.03825239, \
             date of issue 4 May 2014, expiry 3 May 2024.)"
        ),
        texts("Safia Farkash Mohammed Al-Hadad")
    );
    assert!(analyze("Mohammad Ishaq Akhund born in 1963")
        .rules
        .iter()
        .any(|r| r.starts_with("birth_note:born in 1963")));
    assert_eq!(texts("Max Born"), ["max", "born"]);
    assert_eq!(
        texts("Gustav Adolf Born Trading 1990"),
        ["gustav", "adolf", "born", "trading", "1990"]
    );
}
