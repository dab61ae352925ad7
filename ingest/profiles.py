"""Site profiles: which pages of which site to crawl, how politely, and how to read them.

Profiles live in ``ingest/sites.yaml`` (or a file given with ``--profiles``) and are
validated on load; a broken file gives one Dutch message listing every problem. A profile
can be pointed at a mirror (``--base-url SITE=URL``): requests then go to the mirror, while
stored URLs stay the public ones.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from ingest.urls import normalize, origin, replace_origin
from kb.validation_messages import dutch_message, problems_of

DEFAULT_SITES_FILE = Path(__file__).with_name("sites.yaml")


class ProfileError(ValueError):
    """The site profiles file is invalid or a site/mirror is unknown (Dutch message)."""


class Selectors(BaseModel):
    model_config = {"extra": "forbid"}

    content: list[str] = Field(default_factory=list)
    title: list[str] = Field(default_factory=list)
    date: list[str] = Field(default_factory=list)
    breadcrumb: list[str] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list)


class SiteProfile(BaseModel):
    model_config = {"extra": "forbid", "frozen": True}

    name: str = Field(min_length=2)
    base_url: str
    aliases: list[str] = Field(default_factory=list)
    start_urls: list[str] = Field(default_factory=lambda: ["/"])
    sitemaps: list[str] = Field(default_factory=list)
    allow: list[str] = Field(default_factory=lambda: ["/"])
    exclude: list[str] = Field(default_factory=list)
    exclude_patterns: list[str] = Field(default_factory=list)
    selectors: Selectors = Field(default_factory=Selectors)
    delay_s: float = Field(2.0, ge=0, le=120)
    concurrency: int = Field(1, ge=1, le=8)
    timeout_s: float = Field(20, gt=0, le=300)
    max_pages: int = Field(2000, ge=1)
    max_depth: int = Field(5, ge=0, le=50)
    max_bytes: int = Field(15_000_000, ge=1000)
    prune_after_runs: int = Field(3, ge=1, le=100)
    follow_links: bool = True
    optional: bool = False
    audience: list[str] = Field(default_factory=list)
    mirror: str | None = None  # origin that requests go to instead of base_url

    @field_validator("base_url", "mirror")
    @classmethod
    def _origin_only(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            url = normalize(value)
        except ValueError as exc:
            raise ValueError(f"ongeldig adres '{value}'") from exc
        if urlsplit(url).path not in ("", "/") or urlsplit(url).query:
            raise ValueError(f"'{value}' moet een adres zonder pad zijn, bv. https://host:poort")
        return origin(url)

    @field_validator("exclude_patterns")
    @classmethod
    def _regexes(cls, values: list[str]) -> list[str]:
        for pattern in values:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"ongeldige reguliere expressie '{pattern}': {exc}") from exc
        return values

    @field_validator("allow", "exclude")
    @classmethod
    def _paths(cls, values: list[str]) -> list[str]:
        for path in values:
            if not path.startswith("/"):
                raise ValueError(f"pad '{path}' moet met '/' beginnen")
        return values

    @model_validator(mode="after")
    def _urls_on_site(self) -> SiteProfile:
        for url in [*self.start_urls, *self.sitemaps]:
            if not self.to_public(self.absolute(url)):
                raise ValueError(f"'{url}' hoort niet bij {self.base_url}")
        return self

    # -- URL mapping ---------------------------------------------------------------------
    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    @property
    def fetch_origin(self) -> str:
        return self.mirror or self.base_url

    def absolute(self, path_or_url: str) -> str:
        if path_or_url.startswith("/"):
            return normalize(self.base_url + path_or_url)
        return normalize(path_or_url)

    def to_public(self, url: str) -> str | None:
        """Public form of a URL on this site (mirror or alias hosts mapped to base_url);
        None when the URL belongs to another host."""
        try:
            url = normalize(url)
        except ValueError:
            return None
        if self.mirror and origin(url) == self.mirror:
            return replace_origin(url, self.base_url)
        if urlsplit(url).netloc in (self.host, *self.aliases):  # http/https, www or not
            return replace_origin(url, self.base_url)
        return None

    def to_fetch(self, public_url: str) -> str:
        return replace_origin(public_url, self.fetch_origin)

    def in_scope(self, public_url: str) -> bool:
        """Allowed by the profile's prefixes and not excluded (robots is checked apart)."""
        parts = urlsplit(public_url)
        path = parts.path or "/"
        full = path + (f"?{parts.query}" if parts.query else "")
        if not any(path.startswith(prefix) for prefix in self.allow):
            return False
        if any(path.startswith(prefix) for prefix in self.exclude):
            return False
        return not any(re.search(p, full, re.I) for p in self.exclude_patterns)

    def with_mirror(self, mirror: str | None) -> SiteProfile:
        return self.model_validate({**self.model_dump(), "mirror": mirror})


_MERGED_LISTS = ("exclude", "exclude_patterns", "aliases", "audience")


def _merge(defaults: dict, site: dict) -> dict:
    merged = {**defaults, **site}
    for key in _MERGED_LISTS:
        if key in defaults and key in site:
            merged[key] = list(dict.fromkeys([*site[key], *defaults[key]]))
    sel_d, sel_s = defaults.get("selectors") or {}, site.get("selectors") or {}
    if isinstance(sel_d, dict) and isinstance(sel_s, dict):
        # Site selectors first, the generic ones as fallback.
        merged["selectors"] = {k: list(dict.fromkeys([*(sel_s.get(k) or []),
                                                      *(sel_d.get(k) or [])]))
                               for k in {*sel_d, *sel_s}}
    return merged


def load_profiles(path: Path | None = None) -> dict[str, SiteProfile]:
    """Read and validate the profiles file; every problem is reported in one message."""
    path = path or DEFAULT_SITES_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"Siteprofielen {path} niet leesbaar: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ProfileError(f"Siteprofielen {path}: ongeldige YAML ({exc})") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("sites"), dict) or not raw["sites"]:
        raise ProfileError(f"Siteprofielen {path}: verwacht een mapping 'sites:' met sites")
    defaults = raw.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise ProfileError(f"Siteprofielen {path}: 'defaults' moet een mapping zijn")
    profiles: dict[str, SiteProfile] = {}
    problems: list[str] = []
    for name, body in raw["sites"].items():
        if not isinstance(body, dict):
            problems.append(f"{name}: verwacht een mapping met instellingen")
            continue
        try:
            profiles[name] = SiteProfile(name=name, **_merge(defaults, body))
        except ValidationError as exc:
            problems.extend(f"{name}.{problem}"
                            for problem in problems_of(exc.errors(), whole="profiel"))
        except TypeError as exc:
            problems.append(f"{name}: {exc}")
    if problems:
        raise ProfileError(f"Ongeldige siteprofielen in {path}:\n" + "\n".join(problems))
    return profiles


def parse_mirrors(options: list[str]) -> dict[str, str]:
    """``["nji.nl=http://127.0.0.1:8081", …]`` → ``{"nji.nl": "http://127.0.0.1:8081"}``."""
    mirrors: dict[str, str] = {}
    for option in options:
        site, sep, url = option.partition("=")
        if not sep or not site.strip() or not url.strip():
            raise ProfileError(f"--base-url '{option}': gebruik SITE=URL, "
                               "bv. nji.nl=http://127.0.0.1:8081")
        mirrors[site.strip()] = url.strip()
    return mirrors


def select_profiles(profiles: dict[str, SiteProfile], sites: list[str] | None = None,
                    mirrors: dict[str, str] | None = None) -> list[SiteProfile]:
    """The profiles to crawl: the named ones, or every non-optional one; mirrors applied."""
    unknown = [s for s in [*(sites or []), *(mirrors or {})] if s not in profiles]
    if unknown:
        raise ProfileError(f"Onbekende site(s): {', '.join(unknown)}. "
                           f"Bekend: {', '.join(profiles)}")
    chosen = sites or [name for name, p in profiles.items() if not p.optional]
    out: list[SiteProfile] = []
    for name in chosen:
        try:
            mirror = (mirrors or {}).get(name, profiles[name].mirror)
            out.append(profiles[name].with_mirror(mirror))
        except ValidationError as exc:
            raise ProfileError(f"--base-url voor {name}: {dutch_message(exc.errors()[0])}") from exc
    return out
