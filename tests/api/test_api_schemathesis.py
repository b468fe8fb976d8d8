"""schemathesis against /openapi.json over every operation, with its default checks: no server errors, no
schema violations. Ids in paths mostly point at a real kickoff, interview and call, so cases reach the
engine rather than stopping at 404; the rest keep their generated ids, so 404s are checked too."""

from __future__ import annotations

import zlib

import schemathesis
from api_support import ApiFactory
from hypothesis import HealthCheck, given, settings

EXAMPLES = 8
# All default checks run. One setting: a schema-valid upload whose bytes are not a readable document
# (OpenAPI cannot say "a real PDF") is refused with 415/422, which positive_data_acceptance must accept.
CONFIG = schemathesis.Config.from_dict(
    {
        "operations": [
            {
                "include-path": "/v1/documents",
                "include-method": "POST",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "401", "403", "404", "409", "415", "422", "429"]
                    }
                },
            }
        ]
    }
)


def test_openapi_conformance(make_api: ApiFactory) -> None:
    api = make_api()
    h = api.tenant()
    c = api.client
    kid = c.post("/v1/kickoffs", json={"brief": "A CRM rollout", "stakeholders": [{"name": "Ann Lee"}]}, headers=h)
    kid_ = kid.json()["id"]
    iid = c.post(f"/v1/kickoffs/{kid_}/interviews", json={"stakeholder": "Ann Lee"}, headers=h).json()["interview_id"]
    cid = c.post(f"/v1/kickoffs/{kid_}/calls", json={}, headers=h).json()["id"]
    ids = {"kickoff_id": kid_, "interview_id": iid, "call_id": cid}

    schema = schemathesis.openapi.from_asgi("/openapi.json", c.app, config=CONFIG)
    failures: dict[str, str] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an invalid schema raises here, failing the test
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def run(case: schemathesis.Case) -> None:
            for name, value in ids.items():
                if name in (case.path_parameters or {}) and zlib.crc32(str(case.path_parameters[name]).encode()) % 4:
                    case.path_parameters[name] = value  # type: ignore[index]
            if case.method.upper() == "DELETE" and case.path == "/v1/kickoffs/{kickoff_id}":
                case.path_parameters["kickoff_id"] = "ko_keep_the_shared_one"  # type: ignore[index]
            case.call_and_validate(headers=h)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures[operation.label] = str(exc)[:1500]
    assert operations >= 20
    assert failures == {}, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())[:20000]
