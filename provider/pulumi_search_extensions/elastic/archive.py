"""What Elasticsearch and Elastic Cloud require of an extension's zip, checked locally before any upload.

Elastic accepts almost any upload: a plugin built for another Elasticsearch version, a zip with the old
`elasticsearch/` folder, two descriptors or none are found by the cluster when a node installs them (a failed
plan, or nodes that do not start). The rules here are the ones Elasticsearch's plugin installer and Elastic's
documentation state (the table of `tests/specs/elastic-extension-archives.md`, section 5, whose numbers the
findings carry); what the documentation only lets one infer is a warning, never an error.

Two steps, so the rules stay pure: `read_archive` reads a zip once, streaming (the central directory and the
descriptor members only, never the rest of the file: a 1 GiB archive costs no more memory than a small one),
and `findings` applies the rules to what it read, with the extension's declared type and version.
"""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import javaproperties

__all__ = [
    "CLASSIC_DESCRIPTOR",
    "STABLE_DESCRIPTOR",
    "ArchiveContents",
    "ArchiveError",
    "Finding",
    "findings",
    "read_archive",
]

CLASSIC_DESCRIPTOR = "plugin-descriptor.properties"
STABLE_DESCRIPTOR = "stable-plugin-descriptor.properties"
DESCRIPTORS = (CLASSIC_DESCRIPTOR, STABLE_DESCRIPTOR)

MB = 1024 * 1024
GB = 1024 * MB
MOST_SUBSCRIPTIONS_BYTES = 20 * MB
"""The upload limit of most Elastic Cloud subscriptions (Platinum and Enterprise: 8 GB)."""
LARGEST_BYTES = 8 * GB
"""Nothing larger can be used, by upload or by download_url."""
PLUGIN_UPLOAD_BYTES = 200 * MB
"""Above this, a plugin must be fetched by the service (download_url)."""
DESCRIPTOR_FIRST_BYTES = 5 * GB
"""Above this, the service's verification only finds the descriptor as the zip's first entry."""
DESCRIPTOR_LIMIT_BYTES = 64 * 1024
"""A descriptor is a few lines; a larger member is not read (memory stays flat whatever the zip holds)."""

# Elasticsearch's PluginDescriptor: keys that must be non-blank, keys that must be present, optional keys.
_NON_BLANK = {
    CLASSIC_DESCRIPTOR: ("name", "classname", "elasticsearch.version", "java.version"),
    STABLE_DESCRIPTOR: ("name", "elasticsearch.version", "java.version"),
}
_PRESENT = ("description", "version")
# A stable descriptor is read with fewer keys than a classic one (PluginDescriptor.readerStableDescriptor).
_OPTIONAL = {
    CLASSIC_DESCRIPTOR: ("extended.plugins", "has.native.controller", "licensed", "modulename"),
    STABLE_DESCRIPTOR: ("modular",),
}
_BOOLEANS = ("has.native.controller", "licensed", "modular")
_JAVA_VERSION = re.compile(r"\d+(\.\d+)*")
_EXACT_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")
_GEOIP_SUFFIXES = ("-City.mmdb", "-Country.mmdb", "-ASN.mmdb")
_TRUST_STORE_SUFFIXES = (".jks", ".p12", ".pfx", ".pkcs12")
_TRUST_STORE_NAME = re.compile(r"[A-Za-z0-9_-]+")


class ArchiveError(ValueError):
    """The file is not a zip that can be read (the message says why)."""


@dataclass(frozen=True)
class ArchiveContents:
    """What the rules need of a zip: its size, its entries, and the descriptors at its root."""

    size: int
    """Bytes of the zip file itself (what is uploaded)."""
    names: tuple[str, ...]
    """Every entry's name, in the order of the zip's central directory."""
    descriptors: Mapping[str, Mapping[str, str] | str]
    """Each descriptor found at the root (by file name): its properties, or why they cannot be read."""


@dataclass(frozen=True)
class Finding:
    """One broken rule: the field to change, what is wrong and how to fix it."""

    rule: int
    """The rule's number in the reference's table (section 5)."""
    field: str
    """The resource argument the user changes (`file_path`, `version`, `extension_type`)."""
    reason: str
    """What is wrong and the fix, without the field's name."""
    error: bool = True
    """False for a rule the documentation only lets one infer: a warning, the preview goes on."""

    @property
    def message(self) -> str:
        """The line the user reads: `<field>: <reason>`."""
        return f"{self.field}: {self.reason}"


def read_archive(path: str | os.PathLike[str]) -> ArchiveContents:
    """Reads the zip's central directory and its root descriptors, nothing else; `ArchiveError` if it cannot."""
    try:
        size = os.path.getsize(path)
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            descriptors = {
                info.filename: _read_descriptor(archive, info) for info in infos if info.filename in DESCRIPTORS
            }
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveError(str(exc) or type(exc).__name__) from None
    return ArchiveContents(size, tuple(info.filename for info in infos), descriptors)


def _read_descriptor(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Mapping[str, str] | str:
    if info.file_size > DESCRIPTOR_LIMIT_BYTES:
        return f"it is {info.file_size} bytes, too large for a descriptor"
    try:
        data = archive.read(info)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError) as exc:
        return f"it cannot be read ({exc})"
    # Elasticsearch loads it with java.util.Properties from a byte stream: ISO-8859-1, with \uXXXX escapes.
    return dict(javaproperties.loads(data.decode("latin-1")))


def findings(
    contents: ArchiveContents,
    *,
    extension_type: str,
    version: str | None,
    upload_limit_configured: bool = False,
) -> list[Finding]:
    """Every rule the archive breaks for an extension of `extension_type` declared for `version`.

    `version` is None while it is not known (a preview with an unknown value): the version rules wait.
    `upload_limit_configured`: the user set the subscription's upload limit (`ec:uploadLimitMb`), so the
    warning about the limit of most subscriptions is left out.
    """
    found = _size_findings(contents, extension_type, upload_limit_configured)
    if extension_type == "plugin":
        found += _plugin_findings(contents, version)
    elif extension_type == "bundle":
        found += _bundle_findings(contents)
    return found


# ---------------------------------------------------------------------------------------------- both kinds


def _escapes_root(name: str) -> bool:
    """Whether the entry would be written outside the folder it is unpacked into (absolute, or `..` above it)."""
    unified = name.replace("\\", "/")
    if unified.startswith("/") or re.match(r"[A-Za-z]:", unified):
        return True
    normal = posixpath.normpath(unified)
    return normal == ".." or normal.startswith("../")


def _escape_finding(contents: ArchiveContents, extension_type: str) -> list[Finding]:
    """Rule 1: Elasticsearch's installer refuses a plugin with such an entry; for a bundle it is inferred."""
    escaping = [name for name in contents.names if _escapes_root(name)]
    if not escaping:
        return []
    where = "the plugin's folder" if extension_type == "plugin" else "/app/config, where a bundle is unpacked"
    refusal = "Elasticsearch refuses to install it" if extension_type == "plugin" else "it may be refused or misplaced"
    return [
        Finding(
            1,
            "file_path",
            f"the archive's entry {escaping[0]!r}{_and_more(escaping)} resolves outside {where}, so {refusal}: "
            "rebuild the zip from inside the folder to pack, with relative paths (`cd build && zip -r ../ext.zip .`)",
            error=extension_type == "plugin",
        )
    ]


def _size_findings(contents: ArchiveContents, extension_type: str, limit_configured: bool) -> list[Finding]:
    """Rule 5: 8 GB at most; a plugin over 200 MB through download_url; over 20 MB, most subscriptions refuse."""
    size = contents.size
    if size > LARGEST_BYTES:
        return [
            Finding(
                5,
                "file_path",
                f"the archive is {size / GB:.1f} GB, over the 8 GB Elastic accepts for an extension by any means: "
                "split it into several extensions",
            )
        ]
    if extension_type == "plugin" and size > PLUGIN_UPLOAD_BYTES:
        return [
            Finding(
                5,
                "file_path",
                f"the plugin's archive is {size / MB:.1f} MB: Elastic takes a plugin over 200 MB only from a "
                "download_url; host the zip where Elastic can fetch it (one GET, no credentials, no redirect) and "
                "set download_url instead of file_path",
            )
        ]
    if size > MOST_SUBSCRIPTIONS_BYTES and not limit_configured:
        return [
            Finding(
                5,
                "file_path",
                f"the archive is {size / MB:.1f} MB, over the 20 MB most Elastic Cloud subscriptions accept "
                "(Platinum and Enterprise: 8 GB): if the upload is refused, host it and set download_url; set stack "
                "config ec:uploadLimitMb to your subscription's limit to check it at preview and silence this",
                error=False,
            )
        ]
    return []


def _and_more(names: list[str]) -> str:
    return f" (and {len(names) - 1} more)" if len(names) > 1 else ""


# ------------------------------------------------------------------------------------------------- plugins


def _plugin_findings(contents: ArchiveContents, version: str | None) -> list[Finding]:
    found = _escape_finding(contents, "plugin")
    found += _layout_findings(contents)
    root = [name for name in DESCRIPTORS if name in contents.descriptors]
    found += _descriptor_count_findings(contents, root)
    if len(root) == 1:
        descriptor = contents.descriptors[root[0]]
        if isinstance(descriptor, str):
            found.append(
                Finding(8, "file_path", f"the archive's {root[0]} cannot be used: {descriptor}; rebuild the plugin")
            )
        else:
            found += _descriptor_findings(root[0], descriptor)
            found += _version_findings(root[0], descriptor, version)
    return found


def _layout_findings(contents: ArchiveContents) -> list[Finding]:
    """Rules 7 and 10 (and the installer's other layout rules): what Elasticsearch unpacks and loads."""
    found = []
    older = [name for name in contents.names if name.startswith("elasticsearch/")]
    if older:
        found.append(
            Finding(
                7,
                "file_path",
                "the archive has the older plugin structure (an `elasticsearch/` folder at its root, from "
                "Elasticsearch 5.x), which Elasticsearch 6.3 and later refuse: move that folder's content to the "
                "zip's root",
            )
        )
    nested = [name for name in contents.names if name.startswith(("bin/", "config/")) and "/" in name.split("/", 1)[1]]
    if nested:
        found.append(
            Finding(
                7,
                "file_path",
                f"the archive's {nested[0]!r}{_and_more(nested)} is in a subfolder of bin/ or config/, which "
                "Elasticsearch's installer refuses: keep the files of bin/ and config/ directly in those folders",
            )
        )
    if not any(name.endswith(".jar") and "/" not in name for name in contents.names):
        found.append(
            Finding(
                10,
                "file_path",
                "the plugin's archive has no .jar at its root, and Elasticsearch loads only the root's JARs: put "
                "the plugin's JAR and its dependencies at the zip's root (the build's packaged output, not its "
                "sources)",
            )
        )
    sources = [name for name in contents.names if name.endswith(".java")]
    if sources:
        found.append(
            Finding(
                10,
                "file_path",
                f"the archive holds Java source code ({sources[0]!r}{_and_more(sources)}), which fails provisioning "
                "on Elastic Cloud: upload the built plugin (JARs and descriptor), not its sources",
                error=False,
            )
        )
    if any(name.startswith("dictionaries/") for name in contents.names):
        found.append(
            Finding(
                11,
                "file_path",
                "the plugin's archive holds a dictionaries/ folder, but a plugin and its dictionaries must be "
                "separate extensions: move dictionaries/ into a bundle (extension_type='bundle') of its own",
            )
        )
    return found


def _descriptor_count_findings(contents: ArchiveContents, root: list[str]) -> list[Finding]:
    """Rule 6: exactly one descriptor at the root (the first entry of an archive over 5 GB)."""
    if len(root) == 2:
        return [
            Finding(
                6,
                "file_path",
                f"the archive has both {CLASSIC_DESCRIPTOR} and {STABLE_DESCRIPTOR} at its root, and Elasticsearch "
                f"refuses a plugin with two descriptors: keep {CLASSIC_DESCRIPTOR} for a classic plugin or "
                f"{STABLE_DESCRIPTOR} for a stable one",
            )
        ]
    if not root:
        nested = [name for name in contents.names if posixpath.basename(name) in DESCRIPTORS]
        where = (
            f" (there is {nested[0]!r}: zip the plugin folder's content, not the folder)"
            if nested
            else " (if the archive is a bundle of files for the config folder, set extension_type='bundle')"
        )
        return [
            Finding(
                6,
                "file_path",
                f"the plugin's archive has no {CLASSIC_DESCRIPTOR} (or {STABLE_DESCRIPTOR}) at its root, and "
                f"Elasticsearch refuses a plugin without one{where}",
            )
        ]
    duplicated = [name for name in root if contents.names.count(name) > 1]
    if duplicated:
        return [
            Finding(
                6,
                "file_path",
                f"the archive holds {duplicated[0]} {contents.names.count(duplicated[0])} times: rebuild the zip "
                "with one descriptor",
            )
        ]
    if contents.size > DESCRIPTOR_FIRST_BYTES and contents.names[0] != root[0]:
        return [
            Finding(
                6,
                "file_path",
                f"the archive is over 5 GB and its first entry is {contents.names[0]!r}: Elastic's verification "
                f"of such a plugin only finds {root[0]} as the first entry; rebuild the zip adding it first",
            )
        ]
    return []


def _descriptor_findings(descriptor_name: str, properties: Mapping[str, str]) -> list[Finding]:
    """Rule 8: the descriptor as Elasticsearch's PluginDescriptor reads it."""
    problems: list[str] = []
    for key in _NON_BLANK[descriptor_name]:
        if not properties.get(key, "").strip():
            problems.append(f"`{key}` is missing or blank")
    problems += [f"`{key}` is missing" for key in _PRESENT if key not in properties]
    known = set(_NON_BLANK[descriptor_name]) | set(_PRESENT) | set(_OPTIONAL[descriptor_name])
    unknown = sorted(key for key in properties if key not in known)
    if descriptor_name == STABLE_DESCRIPTOR and "classname" in unknown:
        unknown.remove("classname")
        problems.append("`classname` is not allowed in a stable plugin (the plugin's classes are found by scanning)")
    if unknown:
        problems.append(f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(f'`{k}`' for k in unknown)}")
    for key in _BOOLEANS:
        value = properties.get(key, "")
        # Booleans.parseBoolean: blank is the default (false); anything else must be exactly true or false.
        if key in known and value.strip() and value not in ("true", "false"):
            problems.append(f"`{key}` is {value!r}, not true or false")
    if "has.native.controller" in known and properties.get("has.native.controller") == "true":
        problems.append("`has.native.controller` is true, which the plugin installer refuses")
    java = properties.get("java.version", "").strip()
    if java and not _JAVA_VERSION.fullmatch(java):
        problems.append(f"`java.version` is {java!r}, not dotted integers such as 17 or 1.8")
    es_version = properties.get("elasticsearch.version", "")
    if es_version.strip() and not _EXACT_VERSION.fullmatch(es_version):
        problems.append(f"`elasticsearch.version` is {es_version!r}, not a released Elasticsearch version x.y.z")
    if not problems:
        return []
    return [
        Finding(
            8,
            "file_path",
            f"the archive's {descriptor_name} is not one Elasticsearch installs: {'; '.join(problems)}. Fix the "
            "plugin's build (see Elastic's plugin descriptor file reference) and build the zip again",
        )
    ]


def _version_findings(descriptor_name: str, properties: Mapping[str, str], version: str | None) -> list[Finding]:
    """Rules 4 and 9: the extension's version is exact, and the descriptor's Elasticsearch version fits it."""
    built = _EXACT_VERSION.fullmatch(properties.get("elasticsearch.version", ""))
    if version is None or built is None:
        return []
    exact = built.group(0)
    declared = _EXACT_VERSION.fullmatch(version)
    if declared is None:
        return [
            Finding(
                4,
                "version",
                f"{version!r} is not valid for a plugin: plugins need the exact Elasticsearch version, and the "
                f"archive's {descriptor_name} says {exact}; set version={exact!r}",
            )
        ]
    if descriptor_name == CLASSIC_DESCRIPTOR:
        if version == exact:
            return []
        return [
            Finding(
                9,
                "version",
                f"{version!r} does not match the archive: its {descriptor_name} says elasticsearch.version="
                f"{exact}, and a classic plugin installs only on that exact version; set version={exact!r} "
                f"for deployments on {exact}, or rebuild the plugin for {version}",
            )
        ]
    declared_parts = tuple(int(part) for part in declared.groups())
    built_parts = tuple(int(part) for part in built.groups())
    if declared_parts[0] == built_parts[0] and built_parts <= declared_parts:
        return []
    why = "another major version" if declared_parts[0] != built_parts[0] else "a newer version"
    return [
        Finding(
            9,
            "version",
            f"{version!r} does not fit the archive: its {descriptor_name} says elasticsearch.version={exact}, "
            f"{why}, and a stable plugin runs only on its own major version from its build version on; set version "
            f"to {exact} or a later {built_parts[0]}.x release, or rebuild the plugin for {version}",
        )
    ]


# ------------------------------------------------------------------------------------------------- bundles


def _bundle_findings(contents: ArchiveContents) -> list[Finding]:
    """Rule 11 (and rule 1, inferred for bundles): a bundle is files for /app/config, named as Elastic reads them."""
    found = _escape_finding(contents, "bundle")
    carried = [name for name in DESCRIPTORS if name in contents.descriptors]
    if carried:
        found.append(
            Finding(
                11,
                "extension_type",
                f"'bundle' does not fit the archive: it has {carried[0]} at its root, so it is a plugin; set "
                "extension_type='plugin' (with the exact Elasticsearch version), or remove the descriptor if the "
                "zip is meant as a bundle",
            )
        )
    found += _geoip_findings(contents)
    found += _trust_store_findings(contents)
    loose = [name for name in contents.names if "/" not in name and name.endswith(".txt")]
    if loose:
        found.append(
            Finding(
                11,
                "file_path",
                f"the bundle has {loose[0]!r}{_and_more(loose)} at its root: dictionaries (synonyms, stop words) "
                "go in a dictionaries/ folder at the zip's root; move them there and reference them as "
                "documented, or ignore this if the file is not a dictionary",
                error=False,
            )
        )
    return found


def _geoip_findings(contents: ArchiveContents) -> list[Finding]:
    databases = [name for name in contents.names if name.endswith(".mmdb")]
    misplaced = [name for name in databases if posixpath.dirname(name) != "ingest-geoip"]
    misnamed = [name for name in databases if not posixpath.basename(name).endswith(_GEOIP_SUFFIXES)]
    reserved = [name for name in databases if posixpath.basename(name) == "GeoLite2-City.mmdb"]
    found = []
    if misplaced:
        found.append(
            Finding(
                11,
                "file_path",
                f"the GeoIP database {misplaced[0]!r}{_and_more(misplaced)} is not in an ingest-geoip/ folder at the "
                "zip's root, the only place Elasticsearch reads custom GeoIP databases from: move it there",
            )
        )
    if misnamed:
        found.append(
            Finding(
                11,
                "file_path",
                f"the GeoIP database {misnamed[0]!r}{_and_more(misnamed)} must be named *-City.mmdb, "
                "*-Country.mmdb or *-ASN.mmdb: rename it",
            )
        )
    if reserved:
        found.append(
            Finding(
                11,
                "file_path",
                f"{reserved[0]!r} is the name of the database Elasticsearch ships, which a bundle cannot replace: "
                "rename it (for example My-City.mmdb) and use that name in the geoip processor's database_file",
            )
        )
    return found


def _trust_store_findings(contents: ArchiveContents) -> list[Finding]:
    """Inferred: which files are trust stores is judged by their extension, so these are warnings."""
    stores = [name for name in contents.names if name.lower().endswith(_TRUST_STORE_SUFFIXES)]
    found = []
    badly_named = [
        name for name in stores if not _TRUST_STORE_NAME.fullmatch(posixpath.splitext(posixpath.basename(name))[0])
    ]
    if badly_named:
        found.append(
            Finding(
                11,
                "file_path",
                f"the trust store {badly_named[0]!r}{_and_more(badly_named)} has a name with characters other than "
                "letters, digits, '-' and '_', which Elastic does not accept for a custom trust store: rename it",
                error=False,
            )
        )
    if len(stores) > 1:
        found.append(
            Finding(
                11,
                "file_path",
                f"the bundle holds {len(stores)} trust stores ({', '.join(stores)}), but a cluster uses one and "
                "several are not merged: put every certificate into one trust store",
                error=False,
            )
        )
    return found
