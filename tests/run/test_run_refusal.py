"""Every rule that refuses a run, on its facts alone."""

from collections import Counter
from dataclasses import replace

import pytest

from harvester.run.coverage import Baseline
from harvester.run.refusal import RunFacts, refusal, untrusted

COVERAGE = {"record_id": 1.0, "title": 1.0, "date": 0.5, "summary": 0.5}
FULL = Counter({"record_id": 10, "title": 10, "date": 10, "summary": 10})
GOOD = RunFacts(document_requests=10, fetched=10, present=FULL, min_coverage=COVERAGE)


def facts(**changes) -> RunFacts:
    return replace(GOOD, **changes)


CASES = [
    ("a good run", facts(), None),
    ("stopped", facts(finish_reason="shutdown"), "crawl stopped before the end (shutdown)"),
    ("list incomplete", facts(incomplete=("a: HTTP 500", "b: HTTP 503")),
     "document list incomplete: a: HTTP 500; b: HTTP 503"),
    ("topic missing", facts(missing_topics=("x", "y")), "topic page not harvested: x, y"),
    ("topic breaks its schema", facts(topic_problems=(("x", "None is not of type 'string'"),
                                                      ("y", "other"))),
     "topic x breaks the schema: None is not of type 'string'"),
    ("every request failed", facts(document_failures=10, fetched=0, known_documents=5),
     "every document request failed: 10 of 10"),
    ("every request failed, some unchanged",
     facts(document_failures=10, fetched=0, not_modified=1, known_documents=5), None),
    ("some requests failed", facts(document_failures=9), None),
    ("nothing harvested", facts(document_requests=0, fetched=0, known_documents=0),
     "no documents harvested"),
    ("nothing new, documents known", facts(document_requests=0, fetched=0, known_documents=3),
     None),
    ("coverage low", facts(present=Counter({"record_id": 10, "title": 9, "date": 0,
                                            "summary": 5})),
     "field coverage below threshold (the site may have changed): title 9/10 (90%; at least "
     "100%), date 0/10 (0%; at least 50%)"),
    ("coverage short of the share by what chance gives", facts(
        present=Counter({"record_id": 10, "title": 10, "date": 4, "summary": 5})), None),
    ("coverage at the threshold", facts(present=Counter({"record_id": 10, "title": 10,
                                                         "date": 5, "summary": 5})), None),
    ("a day of one document without a summary", facts(
        fetched=1, document_requests=1, present=Counter({"record_id": 1, "title": 1, "date": 1}),
        coverage_sample=20), None),
    ("a run short of the published dataset's own rate", facts(
        fetched=50, document_requests=50, coverage_sample=20,
        present=Counter({"record_id": 50, "title": 50, "date": 50, "summary": 0}),
        baseline=Baseline(1000, {"record_id": 1.0, "title": 1.0, "date": 0.9, "summary": 0.3})),
     "field coverage below threshold (the site may have changed): summary 0/50 (0%; the "
     "dataset has 30%, so at least 15%)"),
    ("a run near the published dataset's own low rate", facts(
        fetched=40, document_requests=40, coverage_sample=20,
        present=Counter({"record_id": 40, "title": 40, "date": 36, "summary": 9}),
        baseline=Baseline(1000, {"record_id": 1.0, "title": 1.0, "date": 0.9, "summary": 0.3})),
     None),
    # The first rule that applies decides.
    ("stopped and incomplete", facts(finish_reason="cancelled", incomplete=("a",)),
     "crawl stopped before the end (cancelled)"),
    ("incomplete and topic missing", facts(incomplete=("a",), missing_topics=("x",)),
     "document list incomplete: a"),
    ("a hundred topics missing", facts(missing_topics=tuple(f"t{n}" for n in range(100))),
     "topic page not harvested: t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, and 90 more"),
    ("topic missing and nothing harvested",
     facts(missing_topics=("x",), fetched=0, document_requests=0), "topic page not harvested: x"),
]


@pytest.mark.parametrize(("facts_", "expected"), [(f, e) for _, f, e in CASES],
                         ids=[name for name, _, _ in CASES])
def test_refusal(facts_, expected):
    assert refusal(facts_) == expected


@pytest.mark.parametrize(("reason", "expected"), [
    ("field coverage below threshold (the site may have changed): title 9/10", True),
    ("topic x breaks the schema: None is not of type 'string'", True),
    ("document list incomplete: a", False),
    ("crawl stopped before the end (shutdown)", False),
])
def test_untrusted_refusals_start_over(reason, expected):
    assert untrusted(reason) is expected
