"""API fuzzing with schemathesis against the service's own OpenAPI schema (in-process ASGI).

Bounded: at most ``MAX_EXAMPLES`` generated requests per operation (valid and invalid
input), no deadline. Every response must be below 500; every 4xx/5xx must be JSON with a
Dutch ``detail``; documented 2xx bodies must match the schema. ``POST /v1/admin/crawl`` is
left out: it starts a background crawl of the real sites.

Every route is called: the app is wrapped in a recorder of the routes that handled each
request. Each operation must have handled valid input, and have been sent invalid input
unless none exists (no parameters, or only unconstrained strings).

Each operation's ``as_strategy()`` drives a plain Hypothesis test (derandomized, so CI runs
are repeatable): ``schemathesis.pytest.from_fixture(...).parametrize()`` fails on pytest 9
(schemathesis 4.32 reads the removed ``Function._nodeid``), and the schema needs a fixture
(the app is built on a temporary knowledge base).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from kb.knowledge_base import KnowledgeBase
from kb.settings import load_settings
from service.api.app import create_app
from service.services import Services

MINI_CARDS = Path(__file__).resolve().parents[1] / "fixtures" / "cards" / "mini"
MAX_EXAMPLES = 25
API_KEY = "fuzz-sleutel-123"
EXCLUDED = {("POST", "/v1/admin/crawl")}  # would start a background crawl

# Words that nearly every Dutch message contains; English defaults contain none of them.
DUTCH = {"de", "het", "een", "is", "niet", "te", "van", "voor", "met", "of", "ongeldig",
         "ongeldige", "verzoek", "invoer", "veld", "vraag", "verplicht", "onbekend", "onbekende",
         "gevonden", "toegestaan", "beheer", "sleutel", "probeer", "opnieuw", "kennisbank",
         "tekens", "maximaal", "waarde", "fout", "teveel", "veel", "bekend", "lang", "kort",
         "groot", "klein", "leeg", "moet", "geen", "dienst", "beschikbaar", "uw"}
ENGLISH = re.compile(r"\b(field required|not found|internal server error|method not allowed|"
                     r"input should|value error|unprocessable|not authenticated|the |is not)\b",
                     re.I)


def is_dutch(text: str) -> bool:
    """Our own words are Dutch; a value the client sent, echoed between quotes ("Onbekende
    waarde 'Field required' voor filter …"), is not ours to judge."""
    text = re.sub(r"'[^']*'", "", text)
    words = set(re.findall(r"[a-zà-ÿ]+", text.lower()))
    return bool(words & DUTCH) and not ENGLISH.search(text)


class RouteRecorder:
    """ASGI wrapper around the app: counts the requests each route handled (FastAPI puts
    the matched route in the scope), so the fuzz test proves every route was called."""

    def __init__(self, app) -> None:
        self.app = app
        self.handled: Counter = Counter()

    async def __call__(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)
        route = scope.get("route")
        if scope["type"] == "http" and route is not None:
            self.handled[(scope["method"], route.path)] += 1


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory, embeddings):
    settings = load_settings(data_dir=tmp_path_factory.mktemp("fuzz") / "data",
                             cards_dir=MINI_CARDS, api_key=API_KEY,
                             rate_limit_per_minute=100_000)
    kb = KnowledgeBase(settings, embeddings=embeddings)
    kb.load_cards()
    recorder = RouteRecorder(create_app(Services.build(settings, kb=kb)))
    return schemathesis.openapi.from_asgi("/openapi.json", recorder), recorder


def check_response(case, response, seen: Counter) -> None:
    seen[(case.method.upper(), case.path), response.status_code] += 1
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/json"), response.text[:200]
        detail = response.json().get("detail")
        assert isinstance(detail, str) and detail, response.text[:200]
        assert is_dutch(detail), detail


def fuzz_operation(operation, mode: GenerationMode, seen: Counter) -> None:
    headers = {"X-API-Key": API_KEY} if operation.path.startswith("/v1/admin") else None

    @given(case=operation.as_strategy(generation_mode=mode, headers=headers))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        check_response(case, case.call(), seen)

    run()


def operations(schema) -> list:
    ops = [result.ok() for result in schema.get_all_operations()]
    return [op for op in ops if (op.method.upper(), op.path) not in EXCLUDED]


@pytest.fixture(scope="module")
def fuzzed(fuzz_target) -> dict:
    """Both generation modes over every operation, once per module: per mode the failures,
    the operations with no invalid input to generate, the responses checked per operation
    and status, and the requests each route of the app handled."""
    schema, recorder = fuzz_target
    results = {}
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        failures, unsatisfiable, seen = [], [], Counter()
        before = Counter(recorder.handled)
        for operation in operations(schema):
            try:
                fuzz_operation(operation, mode, seen)
            except Unsatisfiable:
                # e.g. no parameters: no invalid input exists
                unsatisfiable.append((operation.method.upper(), operation.path))
            except Exception as exc:  # noqa: BLE001 - collect all operations, then report
                failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:1500])
        results[mode] = {"failures": failures, "unsatisfiable": unsatisfiable, "seen": seen,
                         "handled": recorder.handled - before}
    return results


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_errors_and_dutch_json_errors(fuzzed, mode):
    result = fuzzed[mode]
    assert not result["failures"], "\n\n".join(result["failures"])
    assert sum(result["seen"].values()) > 0  # responses were checked at all
    print({f"{m} {p} {status}": n for ((m, p), status), n in result["seen"].items()})


def test_every_route_is_fuzzed(fuzz_target, fuzzed):
    schema, _ = fuzz_target
    listed = {(op.method.upper(), op.path): op for op in operations(schema)}
    for route in ("/v1/ask", "/v1/chat", "/v1/search", "/v1/sources", "/v1/recommend",
                  "/v1/feedback", "/healthz", "/v1/admin/reload-cards"):
        assert any(path == route for _, path in listed), route
    positive, negative = fuzzed[GenerationMode.POSITIVE], fuzzed[GenerationMode.NEGATIVE]
    invalid_sent = {key for key, _ in negative["seen"]}
    for key in listed:
        # valid input: every listed operation was sent and reached its route's handler
        assert positive["handled"][key] > 0, f"{key}: never called with valid input"
        # invalid input: sent, unless none exists (no parameters, or only free strings)
        assert (key in invalid_sent) != (key in negative["unsatisfiable"]), key
    for key, operation in listed.items():
        if len(operation.body) or len(operation.query):  # JSON bodies and query strings
            assert key in invalid_sent, f"{key}: no invalid input sent"
    assert {"/v1/ask", "/v1/chat", "/v1/search", "/v1/recommend", "/v1/feedback"} <= {
        path for _, path in invalid_sent}


def test_dutch_detector_itself():
    assert is_dutch("Ongeldige invoer. question: verplicht veld ontbreekt")
    assert is_dutch("Te veel verzoeken achter elkaar. Wacht even en probeer het opnieuw.")
    assert not is_dutch("Field required")
    assert not is_dutch("Not Found")
    assert is_dutch("Onbekende waarde 'Field required' voor filter 'audience'")
    assert not is_dutch("Unknown value 'gemeente' for filter 'audience'")
