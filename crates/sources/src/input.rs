//! Reading an input file: gzip detection, size limit, hashing, text decoding.

use crate::SourceError;
use flate2::read::GzDecoder;
use interdict_model::SourceFile;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest decompressed input accepted. The biggest real publication (OFAC `sdn.xml`) is about
/// 100 MB; anything far beyond is a mistake or a decompression bomb.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// One input file, read into memory and decompressed.
#[derive(Clone, Debug)]
pub struct Input {
    /// Where it was read from.
    pub path: PathBuf,
    /// The file name without `.gz` (`sdn.csv`), used in messages and in detection.
    pub name: String,
    /// Decompressed bytes.
    pub bytes: Vec<u8>,
}

impl Input {
    /// Reads a file, decompressing it when it starts with the gzip magic bytes.
    pub fn read(path: &Path) -> Result<Input, SourceError> {
        let io = |source| SourceError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let display = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut raw = Vec::new();
        file.take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut raw)
            .map_err(io)?;
        let mut input = Input::from_bytes(&display, raw)?;
        input.path = path.to_path_buf();
        Ok(input)
    }

    /// Wraps bytes already in memory (tests, fuzzing, HTTP uploads), decompressing gzip.
    pub fn from_bytes(name: &str, raw: Vec<u8>) -> Result<Input, SourceError> {
        let too_large = |size| SourceError::TooLarge {
            file: name.to_string(),
            size,
            limit: MAX_INPUT_BYTES,
        };
        if raw.len() as u64 > MAX_INPUT_BYTES {
            return Err(too_large(raw.len() as u64));
        }
        let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::new();
            GzDecoder::new(raw.as_slice())
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut out)
                .map_err(|e| SourceError::malformed(name, "gzip stream", e.to_string()))?;
            if out.len() as u64 > MAX_INPUT_BYTES {
                return Err(too_large(out.len() as u64));
            }
            out
        } else {
            raw
        };
        let name = name.strip_suffix(".gz").unwrap_or(name).to_string();
        Ok(Input {
            path: PathBuf::from(&name),
            name,
            bytes,
        })
    }

    /// The file's identity for the registry: name, SHA-256 and size of the decompressed bytes
    /// (so `sdn.csv` and `sdn.csv.gz` of the same publication are the same file).
    pub fn source_file(&self) -> SourceFile {
        let digest = Sha256::digest(&self.bytes);
        let sha256 = digest.iter().map(|b| format!("{b:02x}")).collect();
        SourceFile {
            name: self.name.clone(),
            sha256,
            size: self.bytes.len() as u64,
        }
    }

    /// The bytes as UTF-8 text, without a byte-order mark.
    ///
    /// Errors name the byte offset and line of the first invalid sequence.
    pub fn text(&self) -> Result<&str, SourceError> {
        let bytes = self
            .bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&self.bytes);
        std::str::from_utf8(bytes).map_err(|e| {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            SourceError::malformed(
                &self.name,
                format!("line {line}, byte {at}"),
                "invalid UTF-8 byte sequence",
            )
        })
    }

    /// The bytes as text: UTF-8 when valid, otherwise Windows-1252 (older OFAC CSV files were
    /// published in it). Returns whether the fallback was used, so callers can warn.
    pub fn text_lossless(&self) -> (std::borrow::Cow<'_, str>, bool) {
        match self.text() {
            Ok(s) => (std::borrow::Cow::Borrowed(s), false),
            Err(_) => (
                std::borrow::Cow::Owned(self.bytes.iter().map(|&b| cp1252(b)).collect()),
                true,
            ),
        }
    }
}

/// Windows-1252 to Unicode. The 0x80–0x9F range differs from Latin-1; the table is the 32
/// code points of that range (from the WHATWG encoding standard), small enough that a crate is
/// not worth it.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}',
        '\u{8F}', '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}',
        '\u{2014}', '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}',
        '\u{178}',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_transparent_and_hash_is_of_content() {
        use flate2::{write::GzEncoder, Compression};
        use std::io::Write;
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(b"36,\"AEROCARIBBEAN AIRLINES\"").unwrap();
        let gz = Input::from_bytes("sdn.csv.gz", enc.finish().unwrap()).unwrap();
        let plain =
            Input::from_bytes("sdn.csv", b"36,\"AEROCARIBBEAN AIRLINES\"".to_vec()).unwrap();
        assert_eq!(gz.name, "sdn.csv");
        assert_eq!(gz.bytes, plain.bytes);
        assert_eq!(gz.source_file(), plain.source_file());
    }

    #[test]
    fn truncated_gzip_is_an_error_not_a_panic() {
        let err = Input::from_bytes("x.gz", vec![0x1f, 0x8b, 8, 0, 0]).unwrap_err();
        assert!(err.to_string().starts_with("x.gz: gzip stream"), "{err}");
    }

    #[test]
    fn invalid_utf8_names_line_and_byte() {
        let input = Input::from_bytes("a.xml", b"<a>\n<b>Arm\xe9s</b>".to_vec()).unwrap();
        let err = input.text().unwrap_err().to_string();
        assert_eq!(err, "a.xml: line 2, byte 10: invalid UTF-8 byte sequence");
        assert_eq!(input.text_lossless().0, "<a>\n<b>Armés</b>");
    }
}
