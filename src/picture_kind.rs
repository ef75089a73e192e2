//! What a file beside a text is as a picture: its kind from its first bytes and its name,
//! which kinds are re-encoded and which refused, and the words of a picture's problems.
//! Below the stages: `model` asks it which files beside a text are pictures, `images`
//! which decoder reads them. It reads no file itself.

use image::ImageFormat;

/// A picture that cannot be published, in words for the people who put it there: what is
/// wrong (`message`) and what to do (`help`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub help: String,
}

impl Problem {
    pub(crate) fn new(message: impl Into<String>, help: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            help: help.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.help)
    }
}

pub(crate) const SAVE_AS: &str =
    "open it in an image editor and save it as JPEG (photos) or PNG (drawings)";
pub(crate) const EXPORT_SMALLER: &str = "export it smaller, e.g. 4000 px wide, as JPEG: the site never shows a picture wider than 1440 px";

/// A kind of picture, as its first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Gif,
    Webp,
    Tiff,
    Bmp,
    Heif,
    Avif,
    JpegXl,
    Jpeg2000,
    Photoshop,
}

impl Kind {
    /// Whether Vetrina decodes and re-encodes this kind; the others are refused.
    pub fn accepted(self) -> bool {
        self.format().is_some()
    }

    /// The name people know it by.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Jpeg => "JPEG",
            Kind::Png => "PNG",
            Kind::Gif => "GIF",
            Kind::Webp => "WebP",
            Kind::Tiff => "TIFF",
            Kind::Bmp => "BMP",
            Kind::Heif => "HEIC",
            Kind::Avif => "AVIF",
            Kind::JpegXl => "JPEG XL",
            Kind::Jpeg2000 => "JPEG 2000",
            Kind::Photoshop => "Photoshop",
        }
    }

    /// The usual extension of a file of this kind.
    pub fn ext(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::Gif => "gif",
            Kind::Webp => "webp",
            Kind::Tiff => "tif",
            Kind::Bmp => "bmp",
            Kind::Heif => "heic",
            Kind::Avif => "avif",
            Kind::JpegXl => "jxl",
            Kind::Jpeg2000 => "jp2",
            Kind::Photoshop => "psd",
        }
    }

    pub(crate) fn format(self) -> Option<ImageFormat> {
        match self {
            Kind::Jpeg => Some(ImageFormat::Jpeg),
            Kind::Png => Some(ImageFormat::Png),
            Kind::Gif => Some(ImageFormat::Gif),
            Kind::Webp => Some(ImageFormat::WebP),
            Kind::Tiff => Some(ImageFormat::Tiff),
            Kind::Bmp => Some(ImageFormat::Bmp),
            _ => None,
        }
    }
}

/// How many first bytes of a file [`sniff`] and [`classify`] need.
pub const SNIFF_LEN: usize = 32;

/// The kind of picture a file's first bytes (at least [`SNIFF_LEN`] of them, or the whole
/// file if shorter) show, by signatures strong enough not to mistake a document for a
/// picture (which is why weak ones, such as ICO's or PNM's, are left out).
pub fn sniff(head: &[u8]) -> Option<Kind> {
    let at = |i: usize, sig: &[u8]| head.get(i..i + sig.len()) == Some(sig);
    if at(0, b"\xFF\xD8\xFF") {
        return Some(Kind::Jpeg);
    }
    if at(0, b"\x89PNG\r\n\x1A\n") {
        return Some(Kind::Png);
    }
    if at(0, b"GIF87a") || at(0, b"GIF89a") {
        return Some(Kind::Gif);
    }
    if at(0, b"RIFF") && at(8, b"WEBP") {
        return Some(Kind::Webp);
    }
    if at(0, b"II*\0") || at(0, b"MM\0*") || at(0, b"II+\0") || at(0, b"MM\0+") {
        return Some(Kind::Tiff);
    }
    // "BM" alone would match text; the size of the header that follows must be one of BMP's.
    if at(0, b"BM")
        && let Some(h) = head.get(14..18)
        && [12, 16, 40, 52, 56, 64, 108, 124]
            .contains(&u32::from_le_bytes([h[0], h[1], h[2], h[3]]))
    {
        return Some(Kind::Bmp);
    }
    if at(4, b"ftyp") {
        let brand = head.get(8..12)?;
        return match brand {
            b"avif" | b"avis" => Some(Kind::Avif),
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"hevm" | b"hevs"
            | b"mif1" | b"msf1" => Some(Kind::Heif),
            _ => None,
        };
    }
    if at(0, b"\xFF\x0A") || at(0, b"\0\0\0\x0CJXL \r\n\x87\n") {
        return Some(Kind::JpegXl);
    }
    if at(0, b"\0\0\0\x0CjP  \r\n\x87\n") || at(0, b"\xFF\x4F\xFF\x51") {
        return Some(Kind::Jpeg2000);
    }
    if at(0, b"8BPS") {
        return Some(Kind::Photoshop);
    }
    None
}

/// Extensions of the pictures Vetrina decodes and re-encodes.
pub(crate) const ACCEPTED_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "jpe", "jfif", "jif", "pjpeg", "pjp", "png", "apng", "webp", "gif", "tif",
    "tiff", "bmp", "dib",
];
/// Extensions of pictures it refuses: formats it cannot decode (so it could not remove their
/// metadata), among them cameras' raw files, which carry the most of it.
pub(crate) const REFUSED_EXTENSIONS: &[&str] = &[
    "heic", "heif", "hif", "avif", "jxl", "jp2", "j2k", "jpf", "jpx", "jpm", "psd", "psb", "xcf",
    "ico", "cur", "icns", "tga", "pcx", "exr", "hdr", "pbm", "pgm", "ppm", "pnm", "pam", "qoi",
    "dds", "raw", "dng", "cr2", "cr3", "crw", "nef", "nrw", "arw", "srf", "sr2", "orf", "rw2",
    "raf", "pef", "srw", "x3f", "3fr", "erf", "kdc", "mrw", "rwl", "iiq",
];

pub(crate) fn extension(name: &str) -> Option<String> {
    let file = name.rsplit('/').next().unwrap_or(name);
    file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())
}

/// Whether the name says picture (of any raster format, accepted or not): such a file is
/// never published as it is, only re-encoded, or refused by [`process`].
pub fn is_raster(name: &str) -> bool {
    extension(name).is_some_and(|e| {
        ACCEPTED_EXTENSIONS.contains(&e.as_str()) || REFUSED_EXTENSIONS.contains(&e.as_str())
    })
}

/// What to do with a file beside a text, from its name and its first bytes (at least
/// [`SNIFF_LEN`], or the whole file):
/// - `Ok(Some(kind))`: a picture to decode (as `kind`, whatever its name says) and re-encode;
/// - `Ok(None)`: not a picture, by name or content: a document, judged by its own rules;
/// - `Err(problem)`: a picture that cannot be published: an unsupported format, a name that
///   says picture over content that is none, or a picture under a name that hides it (a PNG
///   named `.pdf` would otherwise be copied with all its metadata).
pub fn classify(name: &str, head: &[u8]) -> Result<Option<Kind>, Problem> {
    let named = is_raster(name);
    // A name of a format Vetrina cannot read is refused whatever is inside: a camera's raw
    // file is a TIFF inside, and decoding it would publish its small preview.
    if let Some(e) = extension(name)
        && REFUSED_EXTENSIONS.contains(&e.as_str())
    {
        return Err(match sniff(head) {
            Some(kind) if !kind.accepted() => unsupported(kind.name()),
            _ => unsupported(&e.to_ascii_uppercase()),
        });
    }
    match sniff(head) {
        Some(kind) if !kind.accepted() => Err(unsupported(kind.name())),
        Some(kind) if named => Ok(Some(kind)),
        Some(kind) => {
            let file = name.rsplit('/').next().unwrap_or(name);
            let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
            Err(Problem::new(
                format!(
                    "`{file}` is a {} picture under a name that does not say so",
                    kind.name()
                ),
                format!(
                    "rename it to `{stem}.{}` and link it as a picture: pictures are published only re-encoded, without hidden data such as where a photo was taken",
                    kind.ext()
                ),
            ))
        }
        None if !named => Ok(None),
        None => Err(Problem::new(
            "this file is named as a picture but does not hold one that Vetrina can read (JPEG, PNG, WebP, GIF, TIFF or BMP): it may be empty, cut off, or of another kind",
            format!("copy it again from the camera or phone, or {SAVE_AS}"),
        )),
    }
}

pub(crate) fn unsupported(kind: &str) -> Problem {
    if kind == "HEIC" || kind == "HEIF" || kind == "HIF" {
        return Problem::new(
            "this is a HEIC picture (the iPhone's format), which Vetrina cannot read, so it cannot remove the hidden data it carries (such as where the photo was taken)",
            "save it as JPEG: open it on a computer and export it as JPEG (on the iPhone, Settings > Camera > Formats > Most Compatible takes JPEG photos from then on)",
        );
    }
    Problem::new(
        format!(
            "this picture is in the {kind} format, which Vetrina cannot read, so it cannot remove the hidden data it may carry (such as where a photo was taken)"
        ),
        format!("{SAVE_AS}, and link that file instead"),
    )
}

pub(crate) fn damaged(detail: impl std::fmt::Display) -> Problem {
    Problem::new(
        format!("the picture is incomplete or damaged ({detail})"),
        "copy it again from the camera or phone; if it still fails, open it in an image editor and save it again as JPEG or PNG",
    )
}
