//! Country names → ISO 3166-1 alpha-2 codes, so that a query's `VE`, `Venezuela` or
//! `Venezuela (Bolivarian Republic of)` meets a list's `Venezuela`.
//!
//! The names are those the bundled OFAC and UN lists use (UN writes official names, OFAC short
//! ones: `Korea, North` / `Democratic People's Republic of Korea`) plus common English
//! alternatives. A name not in the table is kept as its normalised text and compared as such.

use std::collections::HashMap;
use std::sync::OnceLock;

/// `(code, names)`; names are matched after [`fold`].
const COUNTRIES: &[(&str, &[&str])] = &[
    ("AF", &["afghanistan"]),
    ("AL", &["albania"]),
    ("DZ", &["algeria"]),
    ("AD", &["andorra"]),
    ("AO", &["angola"]),
    ("AG", &["antigua and barbuda"]),
    ("AR", &["argentina"]),
    ("AM", &["armenia"]),
    ("AW", &["aruba"]),
    ("AU", &["australia"]),
    ("AT", &["austria"]),
    ("AZ", &["azerbaijan"]),
    ("BS", &["bahamas", "bahamas the", "the bahamas"]),
    ("BH", &["bahrain"]),
    ("BD", &["bangladesh"]),
    ("BB", &["barbados"]),
    ("BY", &["belarus"]),
    ("BE", &["belgium"]),
    ("BZ", &["belize"]),
    ("BJ", &["benin"]),
    ("BM", &["bermuda"]),
    ("BT", &["bhutan"]),
    ("BO", &["bolivia", "bolivia plurinational state of"]),
    ("BA", &["bosnia and herzegovina", "bosnia"]),
    ("BW", &["botswana"]),
    ("BR", &["brazil"]),
    ("VG", &["british virgin islands", "virgin islands british"]),
    ("BN", &["brunei", "brunei darussalam"]),
    ("BG", &["bulgaria"]),
    ("BF", &["burkina faso"]),
    ("MM", &["burma", "myanmar"]),
    ("BI", &["burundi"]),
    ("CV", &["cabo verde", "cape verde"]),
    ("KH", &["cambodia"]),
    ("CM", &["cameroon"]),
    ("CA", &["canada"]),
    ("KY", &["cayman islands"]),
    ("CF", &["central african republic"]),
    ("TD", &["chad"]),
    ("CL", &["chile"]),
    ("CN", &["china", "people s republic of china", "prc"]),
    ("CO", &["colombia"]),
    ("KM", &["comoros"]),
    (
        "CD",
        &[
            "congo democratic republic of the",
            "democratic republic of the congo",
            "drc",
            "congo kinshasa",
        ],
    ),
    (
        "CG",
        &[
            "congo",
            "congo republic of the",
            "republic of the congo",
            "congo brazzaville",
        ],
    ),
    ("CR", &["costa rica"]),
    ("CI", &["cote d ivoire", "ivory coast"]),
    ("HR", &["croatia"]),
    ("CU", &["cuba"]),
    ("CY", &["cyprus"]),
    ("CZ", &["czech republic", "czechia"]),
    ("DK", &["denmark"]),
    ("DJ", &["djibouti"]),
    ("DM", &["dominica"]),
    ("DO", &["dominican republic"]),
    ("EC", &["ecuador"]),
    ("EG", &["egypt"]),
    ("SV", &["el salvador"]),
    ("GQ", &["equatorial guinea"]),
    ("ER", &["eritrea", "eritrean"]),
    ("EE", &["estonia"]),
    ("SZ", &["eswatini", "swaziland"]),
    ("ET", &["ethiopia"]),
    ("FJ", &["fiji"]),
    ("FI", &["finland"]),
    ("FR", &["france"]),
    ("GA", &["gabon"]),
    ("GM", &["gambia", "the gambia", "gambia the"]),
    ("GE", &["georgia"]),
    ("DE", &["germany"]),
    ("GH", &["ghana"]),
    ("GI", &["gibraltar"]),
    ("GR", &["greece"]),
    ("GD", &["grenada"]),
    ("GT", &["guatemala"]),
    ("GN", &["guinea"]),
    ("GW", &["guinea bissau"]),
    ("GY", &["guyana"]),
    ("HT", &["haiti"]),
    ("HN", &["honduras"]),
    (
        "HK",
        &["hong kong", "china hong kong special administrative region"],
    ),
    ("HU", &["hungary"]),
    ("IS", &["iceland"]),
    ("IN", &["india"]),
    ("ID", &["indonesia"]),
    (
        "IR",
        &[
            "iran",
            "iran islamic republic of",
            "islamic republic of iran",
        ],
    ),
    ("IQ", &["iraq"]),
    ("IE", &["ireland"]),
    ("IM", &["isle of man", "man isle of"]),
    ("IL", &["israel"]),
    ("IT", &["italy"]),
    ("JM", &["jamaica"]),
    ("JP", &["japan"]),
    ("JE", &["jersey"]),
    ("JO", &["jordan"]),
    ("KZ", &["kazakhstan"]),
    ("KE", &["kenya"]),
    ("KI", &["kiribati"]),
    (
        "KP",
        &[
            "korea north",
            "north korea",
            "democratic people s republic of korea",
            "dprk",
        ],
    ),
    ("KR", &["korea south", "south korea", "republic of korea"]),
    ("XK", &["kosovo"]),
    ("KW", &["kuwait"]),
    ("KG", &["kyrgyzstan"]),
    ("LA", &["laos", "lao people s democratic republic"]),
    ("LV", &["latvia"]),
    ("LB", &["lebanon"]),
    ("LS", &["lesotho"]),
    ("LR", &["liberia"]),
    ("LY", &["libya"]),
    ("LI", &["liechtenstein"]),
    ("LT", &["lithuania"]),
    ("LU", &["luxembourg"]),
    ("MO", &["macau", "macao"]),
    (
        "MK",
        &[
            "north macedonia",
            "north macedonia the republic of",
            "macedonia",
        ],
    ),
    ("MG", &["madagascar"]),
    ("MW", &["malawi"]),
    ("MY", &["malaysia"]),
    ("MV", &["maldives"]),
    ("ML", &["mali"]),
    ("MT", &["malta"]),
    ("MH", &["marshall islands"]),
    ("MR", &["mauritania"]),
    ("MU", &["mauritius"]),
    ("MX", &["mexico"]),
    ("FM", &["micronesia"]),
    ("MD", &["moldova", "republic of moldova"]),
    ("MC", &["monaco"]),
    ("MN", &["mongolia"]),
    ("ME", &["montenegro"]),
    ("MA", &["morocco"]),
    ("MZ", &["mozambique"]),
    ("NA", &["namibia"]),
    ("NR", &["nauru"]),
    ("NP", &["nepal"]),
    ("NL", &["netherlands", "the netherlands", "holland"]),
    ("AN", &["netherlands antilles"]),
    ("NZ", &["new zealand"]),
    ("NI", &["nicaragua"]),
    ("NE", &["niger"]),
    ("NG", &["nigeria"]),
    ("NO", &["norway"]),
    ("OM", &["oman"]),
    ("PK", &["pakistan"]),
    ("PW", &["palau"]),
    (
        "PS",
        &[
            "palestinian",
            "palestine",
            "state of palestine",
            "west bank",
            "gaza",
        ],
    ),
    ("PA", &["panama"]),
    ("PG", &["papua new guinea"]),
    ("PY", &["paraguay"]),
    ("PE", &["peru"]),
    ("PH", &["philippines"]),
    ("PL", &["poland"]),
    ("PT", &["portugal"]),
    ("QA", &["qatar"]),
    ("RO", &["romania"]),
    ("RU", &["russia", "russian federation"]),
    ("RW", &["rwanda"]),
    ("KN", &["saint kitts and nevis"]),
    ("LC", &["saint lucia"]),
    ("VC", &["saint vincent and the grenadines"]),
    ("WS", &["samoa"]),
    ("SM", &["san marino"]),
    ("ST", &["sao tome and principe"]),
    ("SA", &["saudi arabia"]),
    ("SN", &["senegal"]),
    ("RS", &["serbia"]),
    ("SC", &["seychelles"]),
    ("SL", &["sierra leone"]),
    ("SG", &["singapore"]),
    ("SK", &["slovakia"]),
    ("SI", &["slovenia"]),
    ("SB", &["solomon islands"]),
    ("SO", &["somalia"]),
    ("ZA", &["south africa"]),
    ("SS", &["south sudan"]),
    ("ES", &["spain"]),
    ("LK", &["sri lanka"]),
    ("SD", &["sudan"]),
    ("SR", &["suriname"]),
    ("SE", &["sweden"]),
    ("CH", &["switzerland"]),
    ("SY", &["syria", "syrian arab republic"]),
    ("TW", &["taiwan"]),
    ("TJ", &["tajikistan"]),
    ("TZ", &["tanzania", "united republic of tanzania"]),
    ("TH", &["thailand"]),
    ("TL", &["timor leste", "east timor"]),
    ("TG", &["togo"]),
    ("TO", &["tonga"]),
    ("TT", &["trinidad and tobago"]),
    ("TN", &["tunisia"]),
    ("TR", &["turkey", "turkiye"]),
    ("TM", &["turkmenistan"]),
    ("TV", &["tuvalu"]),
    ("UG", &["uganda"]),
    ("UA", &["ukraine", "crimea"]),
    ("AE", &["united arab emirates", "uae"]),
    (
        "GB",
        &[
            "united kingdom",
            "united kingdom of great britain and northern ireland",
            "uk",
            "great britain",
            "britain",
        ],
    ),
    (
        "US",
        &["united states", "united states of america", "usa", "u s a"],
    ),
    ("UY", &["uruguay"]),
    ("UZ", &["uzbekistan"]),
    ("VU", &["vanuatu"]),
    ("VA", &["holy see", "vatican"]),
    ("VE", &["venezuela", "venezuela bolivarian republic of"]),
    ("VN", &["vietnam", "viet nam"]),
    ("YE", &["yemen"]),
    ("ZM", &["zambia"]),
    ("ZW", &["zimbabwe"]),
];

/// Lower-case ASCII words separated by single spaces; `Region:` and `possibly` prefixes
/// dropped (`Region: West Bank`, `possibly Palestinian`).
fn fold(s: &str) -> String {
    let ascii = any_ascii::any_ascii(s).to_lowercase();
    let words: Vec<&str> = ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut words = &words[..];
    while let Some((first, rest)) = words.split_first() {
        if matches!(*first, "region" | "possibly") {
            words = rest;
        } else {
            break;
        }
    }
    words.join(" ")
}

fn table() -> &'static HashMap<String, &'static str> {
    static TABLE: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m = HashMap::new();
        for (code, names) in COUNTRIES {
            m.insert(code.to_ascii_lowercase(), *code);
            for n in *names {
                m.insert((*n).to_string(), *code);
            }
        }
        m
    })
}

/// The ISO code of a country name or code, else its folded text; `None` for empty or
/// placeholder values (`na`, `undetermined`).
pub(crate) fn normalize_country(s: &str) -> Option<String> {
    let f = fold(s);
    if f.is_empty() || matches!(f.as_str(), "na" | "n a" | "undetermined" | "unknown") {
        return None;
    }
    Some(match table().get(&f) {
        Some(code) => (*code).to_string(),
        None => f,
    })
}

#[cfg(test)]
mod tests {
    use super::normalize_country as n;

    #[test]
    fn names_and_codes_meet() {
        assert_eq!(n("Venezuela"), Some("VE".into()));
        assert_eq!(n("ve"), Some("VE".into()));
        assert_eq!(
            n("Korea, North"),
            n("Democratic People's Republic of Korea")
        );
        assert_eq!(n("Region: West Bank"), Some("PS".into()));
        assert_eq!(n("Türkiye"), Some("TR".into()));
        assert_eq!(n("Atlantis"), Some("atlantis".into()));
        assert_eq!(n("undetermined"), None);
    }
}
