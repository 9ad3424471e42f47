from playwright.sync_api import expect


def test_it_signs_up_a_new_person_who_logs_out_and_back_in(
    live_server, page, screenshot_dir, confirm_signup
):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("not the end of the conversation")
    page.screenshot(path=screenshot_dir / "landing.png")

    page.get_by_role("link", name="Start for free").click()
    page.fill("input[name=full_name]", "Robin Example")
    page.fill("input[name=username]", "robin")
    page.fill("input[name=email]", "robin@example.com")
    page.fill("input[name=password1]", "a-long-unusual-passphrase")
    page.fill("input[name=password2]", "a-long-unusual-passphrase")
    page.get_by_role("button", name="Create my account").click()
    confirm_signup(page, "robin@example.com")
    expect(page.get_by_text("Welcome to Open Doors")).to_be_visible()

    page.get_by_test_id("logout").click()
    expect(page.locator("#nav").get_by_role("link", name="Log in")).to_be_visible()

    page.get_by_role("link", name="Log in").first.click()
    page.fill("input[name=username]", "robin")
    page.fill("input[name=password]", "a-long-unusual-passphrase")
    page.locator("#login-form button[type=submit]").click()
    expect(page.get_by_test_id("logout")).to_contain_text("robin")


def test_it_picks_up_the_browser_time_zone_at_sign_up(live_server, browser, confirm_signup):
    from accounts.models import Profile

    context = browser.new_context(timezone_id="America/New_York")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("input[name=full_name]", "Casey Example")
    page.fill("input[name=username]", "casey")
    page.fill("input[name=email]", "casey@example.com")
    page.fill("input[name=password1]", "a-long-unusual-passphrase")
    page.fill("input[name=password2]", "a-long-unusual-passphrase")
    page.get_by_role("button", name="Create my account").click()
    confirm_signup(page, "casey@example.com")
    expect(page.get_by_text("Welcome to Open Doors")).to_be_visible()
    assert Profile.objects.get(user__username="casey").time_zone == "America/New_York"
    context.close()


def test_it_is_usable_on_a_phone(live_server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/signup/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#nav").get_by_role("link", name="Log in")).to_be_visible()
