//! The browser bundle and the public files: built into the executable, so one file
//! is the whole installation, or read from a directory (`--site-root`, for
//! development).
//!
//! Pages name the bundle under a content hash of the whole bundle
//! (`/pkg/<hash>/cairn.js`): those answers are cached for a year, and a new
//! release, having new names, is fetched at once. Everything else (`/pkg/cairn.css`,
//! `/favicon.svg`) is revalidated with its ETag. Each answer is the precompressed
//! variant the browser accepts (`.br`, `.gz`), never compressed again per request.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

/// The site as the build left it (see build.rs for where that is).
#[derive(RustEmbed)]
#[folder = "$CAIRN_SITE_EMBED"]
struct Embedded;

/// Where the files come from.
#[derive(Debug, Clone)]
enum Source {
    Embedded,
    Dir(PathBuf),
}

/// How long a browser may keep an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caching {
    /// Named by its content: kept a year, never revalidated.
    Immutable,
    /// Revalidated each time (a cheap 304 while unchanged).
    Revalidate,
}

/// The site's files, shared by every request.
#[derive(Debug, Clone)]
pub struct Site {
    source: Arc<Source>,
    version: Arc<str>,
}

/// One file's bytes and its content hash.
struct File {
    bytes: Cow<'static, [u8]>,
    sha256: [u8; 32],
}

impl Site {
    /// The embedded site, or the directory given.
    pub fn open(dir: Option<&Path>) -> Site {
        let source = match dir {
            Some(dir) => Source::Dir(dir.to_path_buf()),
            None => Source::Embedded,
        };
        let version = bundle_version(&source);
        Site {
            source: Arc::new(source),
            version: version.into(),
        }
    }

    /// The content hash the bundle is named under in pages.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Whether the browser bundle is there (pages stay static without it).
    pub fn has_bundle(&self, bundle: &str) -> bool {
        read(&self.source, &format!("pkg/{bundle}_bg.wasm")).is_some()
    }

    /// Where the files come from, for the log.
    pub fn describe(&self) -> String {
        match &*self.source {
            Source::Embedded => "built into the executable".to_string(),
            Source::Dir(dir) => dir.display().to_string(),
        }
    }

    /// The answer for `file` under `/pkg/`: `<version>/cairn.js` for good, or
    /// `cairn.js` revalidated. Another release's version (a page from a node not
    /// yet upgraded) is not this bundle: better a static page than islands that do
    /// not match it.
    pub fn bundle_answer(&self, file: &str, headers: &HeaderMap) -> Option<Response> {
        match file.split_once('/') {
            Some((version, file)) if is_version(version) => (version == &*self.version)
                .then(|| self.answer(&format!("pkg/{file}"), headers, Caching::Immutable))
                .flatten(),
            _ => self.answer(&format!("pkg/{file}"), headers, Caching::Revalidate),
        }
    }

    /// The answer for `path` (relative, such as `pkg/cairn.js`), or None when there
    /// is no such file.
    pub fn answer(&self, path: &str, headers: &HeaderMap, caching: Caching) -> Option<Response> {
        if path.is_empty() || path.split('/').any(|part| part.is_empty() || part == "..") {
            return None;
        }
        let plain = read(&self.source, path)?;
        let accepted = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        let (file, encoding) = ["br", "gzip"]
            .into_iter()
            .filter(|encoding| accepts(accepted, encoding))
            .find_map(|encoding| {
                let suffix = if encoding == "br" { "br" } else { "gz" };
                read(&self.source, &format!("{path}.{suffix}")).map(|file| (file, Some(encoding)))
            })
            .unwrap_or((plain, None));
        let etag = format!("\"{}\"", hex(&file.sha256[..16]));
        let cache = match caching {
            Caching::Immutable => "public, max-age=31536000, immutable",
            Caching::Revalidate => "no-cache",
        };
        let fresh = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|tags| {
                tags.split(',')
                    .any(|tag| tag.trim() == etag || tag.trim() == "*")
            });
        let mime = mime_guess::from_path(path).first_or_octet_stream();
        let mut response = if fresh {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut response = Response::new(Body::from(file.bytes));
            if let Ok(value) = HeaderValue::from_str(mime.as_ref()) {
                response.headers_mut().insert(header::CONTENT_TYPE, value);
            }
            if let Some(encoding) = encoding {
                response
                    .headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Ok(value) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, value);
        }
        Some(response)
    }
}

/// Whether a path segment is a bundle version (see `bundle_version`).
fn is_version(segment: &str) -> bool {
    segment.len() == VERSION_LENGTH && segment.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Hex digits in a bundle version.
const VERSION_LENGTH: usize = 16;

/// Whether an Accept-Encoding value accepts `encoding` (and does not refuse it
/// with `q=0`).
fn accepts(accepted: &str, encoding: &str) -> bool {
    accepted.split(',').any(|item| {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let refused = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        name.eq_ignore_ascii_case(encoding) && !refused
    })
}

fn read(source: &Source, path: &str) -> Option<File> {
    match source {
        Source::Embedded => Embedded::get(path).map(|file| File {
            sha256: file.metadata.sha256_hash(),
            bytes: file.data,
        }),
        Source::Dir(dir) => {
            let bytes = std::fs::read(dir.join(path)).ok()?;
            Some(File {
                sha256: Sha256::digest(&bytes).into(),
                bytes: Cow::Owned(bytes),
            })
        }
    }
}

/// Every file's name under `pkg/`, sorted.
fn bundle_files(source: &Source) -> Vec<String> {
    let mut names: Vec<String> = match source {
        Source::Embedded => Embedded::iter()
            .filter(|name| name.starts_with("pkg/"))
            .map(|name| name.into_owned())
            .collect(),
        Source::Dir(dir) => std::fs::read_dir(dir.join("pkg"))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|entry| entry.path().is_file())
                    .map(|entry| format!("pkg/{}", entry.file_name().to_string_lossy()))
                    .collect()
            })
            .unwrap_or_default(),
    };
    names.sort();
    names
}

/// A hash of every bundle file's name and content: the same bundle, the same name.
fn bundle_version(source: &Source) -> String {
    let mut hash = Sha256::new();
    for name in bundle_files(source) {
        if let Some(file) = read(source, &name) {
            hash.update(name.as_bytes());
            hash.update(file.sha256);
        }
    }
    hex(&hash.finalize()[..VERSION_LENGTH / 2])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::accepts;

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("br;q=0.5", "br"));
        assert!(!accepts("gzip", "br"));
        assert!(!accepts("br;q=0, gzip", "br"));
        assert!(!accepts("", "gzip"));
        assert!(accepts("GZIP", "gzip"));
    }
}
