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


def test_it_finds_the_application_the_person_means(live_server, page, login):
    """Typing the company lists its open applications; picking one fills the role; a close
    role typed by hand asks "Did you mean …?" before creating another."""
    import datetime as dt

    from tests.factories import ApplicationFactory, CompanyFactory

    user = create_account(username="ana", email="ana@example.com", password="a-long-passphrase-1")
    acme = CompanyFactory(owner=user, name="Acme")
    engineer = ApplicationFactory(
        owner=user,
        company=acme,
        role_title="Data Engineer II",
        applied_on=dt.date.today() - dt.timedelta(days=20),
    )
    login(page, "ana", "a-long-passphrase-1")

    page.goto(f"{live_server.url}/log-rejection/")
    page.fill("input[name=company_name]", "acme")
    panel = page.get_by_test_id("open-applications")
    expect(panel).to_contain_text("Data Engineer II")
    panel.get_by_label("Data Engineer II").check()
    expect(page.locator("input[name=role_title]")).to_have_value("Data Engineer II")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_contain_text("Rejected")
    engineer.refresh_from_db()
    assert engineer.rejection

    ApplicationFactory(
        owner=user,
        company=acme,
        role_title="Platform Engineer III",
        applied_on=dt.date.today() - dt.timedelta(days=10),
    )
    page.goto(f"{live_server.url}/log-rejection/")
    page.fill("input[name=company_name]", "Acme")
    page.fill("input[name=role_title]", "platform engineer 3")
    page.get_by_test_id("submit").click()
    expect(page.locator("main")).to_contain_text("Did you mean “Platform Engineer III” at Acme?")
    assert Application.objects.filter(owner=user).count() == 2
