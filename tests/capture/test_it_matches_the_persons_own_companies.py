"""Fuzzy company and role matching (capture.matching): typos match, neighbours don't."""

from capture.matching import Candidate, best_company, best_role, name_key

COMPANIES = [
    Candidate(1, "Fabrikam, Inc."),
    Candidate(2, "Fabrikam Retail"),
    Candidate(3, "Contoso Pay", ("contoso-pay.example",)),
    Candidate(4, "Blauwal Software GmbH"),
]


def test_names_compare_without_case_punctuation_or_legal_form():
    assert name_key("Fabrikam, Inc.") == name_key("FABRIKAM") == "fabrikam"
    assert name_key("Blauwal Software GmbH") == "blauwalsoftware"


def test_a_typo_matches_and_a_longer_neighbour_does_not():
    assert best_company("Fabrikan", "", COMPANIES)[0] == 1
    assert best_company("Fabrikam", "", COMPANIES)[0] == 1
    assert best_company("Fabrikam Retail", "", COMPANIES)[0] == 2
    assert best_company("Blauwal Software", "", COMPANIES)[0] == 4
    assert best_company("Northwind", "", COMPANIES) == (None, 0.0)


def test_a_known_domain_decides_first():
    assert best_company("Contoso-pay", "mail.contoso-pay.example", COMPANIES) == (3, 100.0)
    assert best_company("", "contoso-pay.example", COMPANIES) == (3, 100.0)


def test_the_role_picks_the_open_application_or_none():
    roles = [(10, "Senior Backend Engineer"), (11, "Staff Engineer")]
    assert best_role("Sr. Backend Engineer", roles) == 10  # an abbreviation reads the same
    assert best_role("senior backend engineer", roles) == 10
    assert best_role("Backend Engineer Senior", roles) == 10
    assert best_role("Data Analyst", roles) is None
    assert best_role("", [(12, "Data Analyst")]) == 12  # the only open one
    assert best_role("", roles) is None
