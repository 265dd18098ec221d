//! The index file.
//!
//! ```text
//! offset  size  field
//! 0       16    magic "INTERDICT-MATCH\0"
//! 16      4     format version, u32 little-endian (FORMAT_VERSION)
//! 20      8     analysis fingerprint, u64 little-endian
//! 28      8     body length in bytes, u64 little-endian
//! 36      8     checksum of the body, u64 little-endian
//! 44      …     body: the index, bincode (fixed-width little-endian integers)
//! ```
//!
//! The analysis fingerprint hashes the data tables of analysis, what analysis and key functions
//! make of a fixed set of probe names (tokens, classes, canonicals, phonetic keys, skeletons)
//! and the scoring version. The
//! index stores analysed tokens and their keys; a program whose tables or key functions differ
//! from the ones that built the file would look up keys the file does not have, and silently
//! miss matches. Such a file is refused: rebuild the index.
//!
//! The version changes whenever the body's layout or the meaning of a stored value (a key
//! function, a weight) changes; an older or newer file is refused rather than misread. Loading
//! checks the magic, the version, the length and the checksum, decodes with a size limit, then
//! validates every internal reference, so that a damaged file fails cleanly instead of making
//! a later search index out of bounds.

use super::score::MAX_TOKENS;
use super::{MatchIndex, MatchingError};
use bincode::Options;
use std::io::{Read, Write};

const MAGIC: &[u8; 16] = b"INTERDICT-MATCH\0";
/// Version 2: `name-v1` scoring, FNV-1a/splitmix64 keys, symmetric-deletion radius 1/2,
/// analysis fingerprint in the header. Version 3 (since `name-v2`): terms carry a spelling key.
/// Version 4 (since `name-v13`): a listed name's tokens carry whether they continue a compound.
/// Version 5 (since `name-v14`): words of two and three letters are also filed under their
/// short-word keys (`keys::for_each_short_key`). Version 6: a key's run of one value is held
/// in its slot of the key table.
pub(crate) const FORMAT_VERSION: u32 = 6;
const HEADER: usize = 16 + 4 + 8 + 8 + 8;

/// Names whose analysis covers every table and key function: scripts, legal forms, honorifics,
/// particles, variants, initials, numbers.
const PROBES: &[&str] = &[
    "MADURO MOROS, Nicolás",
    "Николас Мадуро",
    "أيمن محمد ربيع الظواهري",
    "Ελευθέριος Βενιζέλος",
    "אברהם כהן",
    "金正恩",
    "김정은 최룡해 태영호",
    "Kim Jeong Eun",
    "SHEIKH, Umair Naeem",
    "LADY D",
    "Viktor Anatolijevitch Bout",
    "T.D.G.",
    "GENERAL TECHNOLOGY LIMITED",
    "Aouad Ouahid Raouf",
    "AL-QA'IDA",
    "Obshchestvo s Ogranichennoi Otvetstvennostyu Acme",
    "Joint Stock Company Rosneft Oil",
    "Dr. Sheikh Mohammed bin Rashid",
    "V.V. Putin",
    "Yevgeny Prigozhin",
    "Qaddafi Gaddafi Kadhafi",
    "SEA STAR 3",
    "Radovan Karadzic Fedorovic",
    "Kotjkin Szewczenko",
    "Aleksej Sergejevich Yermakov",
    "بشار حافظ الأسد",
    "FGUP Federal State Unitary Enterprise Federal State Enterprise",
    "Maksym Yehorov Hasanov",
    "So-called Luhansk People's Republic",
    "深圳市信诺电子科技有限公司",
    "New Ahmadi Lt.",
    "Dolphin Trading Company Limi",
    "Mohammad Ishaq Akhund born in 1963",
    "Viktor Fedorovic Janukovic",
    "BOZIZE, Jean-Francis; Abd al-Muayyid",
    "ادم يونس",
    "Agropecuaria Mais Sociedad Acciones Simplificada",
    "شيخ عباس فرح",
    "SALIM, Muhammad Ayman Nasir-al-Din",
    "Chief Kahwa",
    "Группа Компаний Ренова",
    "A.I.C. Comprehensive Research Institute",
    "Pak Yonng Chol",
    "崔龙海",
    "1/NICOLAS MADURO MOROS",
    "M/V ADRIAN DARYA 1",
    "MT GRACE 1",
    "Evgueni Prigojine Gorbatschow Guennadi Timtchenko",
    "MADURO MOROS NICOLAS 23/11/1962",
    "/VE1234567890\n1/NICOLAS MADURO\n1/MOROS\n2/CARACAS",
];

/// Every data table analysis reads.
const TABLES: &[&[u8]] = &[
    include_bytes!("../../data/countries.tsv"),
    include_bytes!("../../data/particles.txt"),
    include_bytes!("../../data/honorifics.tsv"),
    include_bytes!("../../data/legal_forms.tsv"),
    include_bytes!("../../data/org_words.tsv"),
    include_bytes!("../../data/variants_manual.tsv"),
    include_bytes!("../../data/variants_east_slavic.tsv"),
    include_bytes!("../../data/variants_east_asian.tsv"),
    include_bytes!("../../data/variants_cognates.tsv"),
    include_bytes!("../../data/variants.tsv.gz"),
    include_bytes!("../../data/translit_arab.tsv"),
    include_bytes!("../../data/translit_cyrl.tsv"),
    include_bytes!("../../data/translit_grek.tsv"),
    include_bytes!("../../data/translit_hebr.tsv"),
    include_bytes!("../../data/script_words.tsv.gz"),
    include_bytes!("../../data/script_words_manual.tsv"),
    include_bytes!("../../data/han_org_words.tsv"),
    include_bytes!("../../data/common_words.tsv.gz"),
    include_bytes!("../../data/han_korean.tsv.gz"),
];

/// The fingerprint of the analysis and key functions this program uses: index files carry it
/// (and a file made with another is refused), customer books record it with their filing (and
/// are filed afresh under another).
pub fn analysis_fingerprint() -> u64 {
    // Fixed for the life of the program, and asked for by every index save and load and every
    // monitoring run: computed once.
    static FINGERPRINT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *FINGERPRINT.get_or_init(compute_fingerprint)
}

fn compute_fingerprint() -> u64 {
    let mut h = super::keys::Hasher::new(super::keys::Salt::Text);
    let mut feed = |s: &[u8]| {
        for &b in s {
            h.byte(b);
        }
        h.byte(0);
    };
    feed(super::score::NAME_ALGORITHM.as_bytes());
    // The tables themselves: an edit the probes do not exercise (one more legal form) still
    // changes what some names analyse to.
    for table in TABLES {
        feed(table);
    }
    let mut feed = |s: &str| feed(s.as_bytes());
    for probe in PROBES {
        // The Korean reading of a Han name, which customer books file too.
        feed(&crate::analyze::korean_reading(probe).unwrap_or_default());
        let analysed = crate::analyze(probe);
        feed(&format!("{:x}", analysed.compounds));
        for t in analysed.tokens {
            let k = super::score::TokenKeys::new(&t.text, t.class, t.canonical.as_deref());
            feed(&k.text);
            feed(&format!("{:?}", k.class));
            feed(k.family());
            feed(&k.phonetic);
            feed(&k.skeleton);
            feed(&k.spelling);
        }
    }
    h.finish()
}

fn codec() -> impl bincode::Options {
    bincode::DefaultOptions::new()
        .with_fixint_encoding()
        .with_little_endian()
}

/// A fast non-cryptographic checksum (8 bytes per step: an FNV pass over 30 MB would cost
/// ~30 ms of every load).
fn checksum(data: &[u8]) -> u64 {
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15 ^ data.len() as u64;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w))
            .wrapping_mul(0xff51_afd7_ed55_8ccd)
            .rotate_left(29);
    }
    for &b in chunks.remainder() {
        h = (h ^ b as u64).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    }
    h ^ (h >> 33)
}

pub(crate) fn save(index: &MatchIndex, mut w: impl Write) -> Result<(), MatchingError> {
    let body = codec()
        .serialize(index)
        .map_err(|e| MatchingError::Format(format!("cannot encode index: {e}")))?;
    w.write_all(MAGIC)?;
    w.write_all(&FORMAT_VERSION.to_le_bytes())?;
    w.write_all(&analysis_fingerprint().to_le_bytes())?;
    w.write_all(&(body.len() as u64).to_le_bytes())?;
    w.write_all(&checksum(&body).to_le_bytes())?;
    w.write_all(&body)?;
    w.flush()?;
    Ok(())
}

fn format(msg: impl Into<String>) -> MatchingError {
    MatchingError::Format(msg.into())
}

pub(crate) fn load(mut r: impl Read) -> Result<MatchIndex, MatchingError> {
    let mut data = Vec::new();
    r.read_to_end(&mut data)?;
    if data.len() < HEADER || &data[..16] != MAGIC {
        return Err(format("not an interdict match index"));
    }
    let u32_at = |at: usize| {
        let mut b = [0u8; 4];
        b.copy_from_slice(&data[at..at + 4]);
        u32::from_le_bytes(b)
    };
    let u64_at = |at: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&data[at..at + 8]);
        u64::from_le_bytes(b)
    };
    let version = u32_at(16);
    if version != FORMAT_VERSION {
        return Err(format(format!(
            "index format version {version}, this build reads version {FORMAT_VERSION}: rebuild the index"
        )));
    }
    let length = u64_at(28);
    let body = &data[HEADER..];
    let whole = length == body.len() as u64;
    // The checksum and the fingerprint, which parses the analyser's tables (a search needs
    // them anyway), take one thread while the body decodes on the other: the decoding is the
    // longer (about 40 ms against 30 ms for the bundled lists), so neither is waited for. On
    // two threads with the checksum before them, a one-name `screen` took 0.084–0.092 s
    // against 0.109–0.131 s in sequence (three alternating sets of ten runs); the checksum
    // first added its 7–9 ms to every start. A body is decoded before it is known to be
    // intact or of the same tables, and thrown away when it is not: the decoder takes any
    // bytes ([`decode_body`]).
    let (checked, decoded) = rayon::join(
        || {
            let intact = checksum(body) == u64_at(36);
            crate::analyze::preload();
            (intact, analysis_fingerprint())
        },
        || whole.then(|| decode_body(body)),
    );
    let (intact, fingerprint) = checked;
    if u64_at(20) != fingerprint {
        return Err(format(
            "index built with different name-analysis tables or key functions: rebuild the index",
        ));
    }
    if !whole {
        return Err(format(format!(
            "truncated or padded: body of {} bytes, header says {length}",
            body.len()
        )));
    }
    match decoded {
        Some(index) if intact => index,
        _ => Err(format("checksum mismatch: the file is damaged")),
    }
}

/// Decodes and validates an index body whose header checked out (or, for fuzzing, any bytes):
/// the decoder is bounded by the body's length, and every internal reference a search follows
/// is checked before the index is handed out.
pub fn decode_body(body: &[u8]) -> Result<MatchIndex, MatchingError> {
    let mut index: MatchIndex = codec()
        .with_limit(body.len() as u64)
        .deserialize(body)
        .map_err(|e| format(format!("cannot decode index: {e}")))?;
    index.validate().map_err(format)?;
    index.derive();
    // A loaded index is about to be searched: parse the analyser's tables now rather than in
    // the first query (~15 ms).
    crate::analyze::preload();
    Ok(index)
}

impl MatchIndex {
    /// Checks every internal reference a search follows.
    fn validate(&self) -> Result<(), String> {
        let (ne, nn, nt) = (self.entities.len(), self.names.len(), self.terms.len());
        for e in &self.entities {
            if e.list as usize >= self.lists.len() {
                return Err("entity list out of range".into());
            }
            if e.names.0 > e.names.1 || e.names.1 as usize > nn {
                return Err("entity names out of range".into());
            }
        }
        for n in &self.names {
            if n.entity as usize >= ne {
                return Err("name entity out of range".into());
            }
            if n.token_count as usize > MAX_TOKENS
                || n.tokens_start as usize + n.token_count as usize > self.name_tokens.len()
            {
                return Err("name tokens out of range".into());
            }
            if n.rules.iter().any(|&r| r as usize >= self.rules.len()) {
                return Err("name rule out of range".into());
            }
            if !n.weight.is_finite() || n.weight < 0.0 {
                return Err("name weight invalid".into());
            }
        }
        if self.name_tokens.iter().any(|t| t.term as usize >= nt) {
            return Err("token term out of range".into());
        }
        for t in &self.terms {
            if t.postings_start as usize + t.postings_len as usize > self.postings.len() {
                return Err("term postings out of range".into());
            }
            if !(t.weight.is_finite() && (0.0..=1.0).contains(&t.weight)) {
                return Err("term weight invalid".into());
            }
        }
        if self.postings.iter().any(|&p| p as usize >= nn) {
            return Err("posting out of range".into());
        }
        self.keys.validate(nt)?;
        self.identifiers.validate(ne)?;
        Ok(())
    }
}
