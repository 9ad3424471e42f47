from playwright.sync_api import expect

from accounts.services import create_account
from applications.models import Application, Company


def test_it_logs_a_rejection_for_a_new_company_and_shows_it_on_the_application(
    live_server, page, login
):
    create_account(username="mo", email="mo@example.com", password="a-long-passphrase-1")
    login(page, "mo", "a-long-passphrase-1")

    page.get_by_test_id("nav-log-rejection").click()
    page.fill("input[name=company_name]", "Globex")
    page.fill("input[name=role_title]", "Site Reliability Engineer")
    page.fill("input[name=contact_name]", "Hank Scorpio")
    page.fill("input[name=contact_email]", "hank@globex.example")
    page.fill("textarea[name=reason_given]", "They went with someone with more on-call experience.")
    page.get_by_test_id("submit").click()

    expect(page.get_by_test_id("application-title")).to_contain_text("Site Reliability Engineer")
    expect(page.get_by_test_id("application-company")).to_contain_text("Globex")
    expect(page.get_by_test_id("status")).to_contain_text("Rejected")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Rejected")
    expect(timeline).to_contain_text("Thank-you after a rejection")
    expect(timeline).to_contain_text("Pending")

    application = Application.objects.get(owner__username="mo")
    assert application.company == Company.objects.get(owner__username="mo", name="Globex")
    assert application.status == Application.Status.REJECTED
