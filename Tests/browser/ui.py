"""Browser tests of the pages people use, in Debian's headless Chromium (Selenium), against `lantian serve --demo`.

Usage: ui.py BASE_URL ARTIFACT_DIR
Signs in; checks the dashboard shows one marker per station; posts a high PM2.5 value through the API and
waits for the alert to be pushed into the open dashboard (no reload); handles it on the phone-width field page
as the unit officer; walks a case to closure with two users (the unit officer rectifies with a photo, a
supervisor verifies and closes); disables and re-enables an alert rule and creates a user on the admin page;
checks the public page shows no private field; checks the browser console
stays free of errors; switches to English. Measures the dashboard's first contentful paint and the p95 of the
API calls behind it. Screenshots go to ARTIFACT_DIR. Prints `ui: N passed, M failed`.
"""
import json
import os
import statistics
import sys
import time
import urllib.request
from datetime import datetime, timedelta, timezone

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

base = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8080"
artifacts = sys.argv[2] if len(sys.argv) > 2 else "artifacts"
os.makedirs(artifacts, exist_ok=True)
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
photo = os.path.join(root, "Tests", "Fixtures", "images", "quadrants-420.jpg")
passed = failed = 0
console_errors = []
CHINA = timezone(timedelta(hours=8))


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"  ok   {name}")
    else:
        failed += 1
        print(f"  FAIL {name} {detail}")


def api(method, path, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=15) as response:
        text = response.read().decode()
        return json.loads(text) if text else None


def token(username):
    return api("POST", "/api/v1/auth/token", body={"username": username, "password": f"demo-{username}"})["token"]


def browser(width=1280, height=900):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={width},{height}", "--lang=zh-CN"):
        options.add_argument(argument)
    if width < 500:
        # Chromium's windows are at least ~500 px wide: a phone is emulated (viewport 360 px, touch).
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0}})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def collect_console(driver, page):
    for entry in driver.get_log("browser"):
        if entry.get("level") == "SEVERE":
            console_errors.append(f"{page}: {entry.get('message')}")


def sign_in(driver, username, landing):
    driver.get(base + "/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(f"demo-{username}")
    driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    WebDriverWait(driver, 15).until(EC.url_contains(landing))


def wait(driver, condition, seconds=20):
    return WebDriverWait(driver, seconds).until(condition)


desk = browser()
phone = None
try:
    # Sign in as HQ: the dashboard, one marker per station.
    sign_in(desk, "hq", "/dashboard")
    check("HQ lands on the dashboard after signing in", desk.current_url.endswith("/dashboard"), desk.current_url)
    stations = api("GET", "/api/v1/latest")
    markers = wait(desk, lambda d: d.find_elements(By.CSS_SELECTOR, ".station-marker") or False)
    time.sleep(0.5)
    markers = desk.find_elements(By.CSS_SELECTOR, ".station-marker")
    check("the dashboard shows one marker per station", len(markers) == len(stations), f"{len(markers)} markers, {len(stations)} stations")
    check("markers show the AQI number, not colour alone",
          all(m.text.strip() for m in markers), str([m.text for m in markers]))
    nav = [a.text for a in desk.find_elements(By.CSS_SELECTOR, ".nav a")]
    check("navigation for HQ", {"指挥大屏", "预警处置", "问题台账", "系统管理"} <= set(nav), str(nav))
    wait(desk, lambda d: "on" in d.find_element(By.ID, "live-status").get_attribute("class"))
    ranking = wait(desk, lambda d: d.find_elements(By.CSS_SELECTOR, "#ranking-table tbody tr") or False)
    check("the dashboard ranks the regions", len(ranking) >= 1)
    overdue = wait(desk, lambda d: d.find_elements(By.CSS_SELECTOR, "#overdue-table tbody tr") or False)
    check("the dashboard lists overdue cases", len(overdue) >= 1)
    paint = desk.execute_script(
        "const p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? p.startTime : null;")
    desk.save_screenshot(os.path.join(artifacts, "dashboard.png"))
    collect_console(desk, "dashboard")

    # A high value posted now is pushed into the open dashboard.
    hq = token("hq")
    # The hour in progress: the demo replay has already filled every complete hour.
    hour = datetime.now(CHINA).replace(minute=0, second=0, microsecond=0)
    # A value not stored yet (on a server the test already ran against, the first station's is a duplicate).
    # The unit officer will handle it: one of the officer's own stations.
    officer = token("officer")
    own = {station["code"] for station in api("GET", "/api/v1/stations", officer)}
    posted = None
    for station in [s for s in stations if s["station"] in own]:
        answer = api("POST", "/api/v1/readings", hq, [{"station": station["station"], "time": hour.isoformat(),
                                                      "code": "a34004", "period": "hour", "value": 320}])
        if answer["inserted"] == 1:
            posted = station
            break
    check("a new high value is stored", posted is not None)
    item = wait(desk, lambda d: [e for e in d.find_elements(By.CSS_SELECTOR, "#alert-feed .feed-item")
                                 if posted["name"] in e.text] or False, 20)
    check("a pushed alert appears in the dashboard without reload", bool(item))
    alert_id = item[0].get_attribute("data-alert")
    desk.save_screenshot(os.path.join(artifacts, "dashboard-alert.png"))

    # The unit officer handles it on the phone-width field page.
    phone = browser(360, 740)
    sign_in(phone, "officer", "/field")
    card = wait(phone, lambda d: d.find_elements(By.CSS_SELECTOR, f'.card[data-alert="{alert_id}"]') or False)[0]
    if card.get_attribute("data-status") != "acknowledged":
        card.find_element(By.CSS_SELECTOR, "button.act-acknowledge").click()
    form = wait(phone, lambda d: d.find_elements(By.CSS_SELECTOR, f'.card[data-alert="{alert_id}"] form.handle-form') or False)[0]
    Select(form.find_element(By.NAME, "cause")).select_by_value("source_stopped")
    form.find_element(By.NAME, "note").send_keys("已到现场，周边工地已停工洒水")
    phone.save_screenshot(os.path.join(artifacts, "field-360.png"))
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(phone, lambda d: not d.find_elements(By.CSS_SELECTOR, f'.card[data-alert="{alert_id}"]'))
    status = api("GET", f"/api/v1/alerts/{alert_id}", hq)
    status = status.get("alert", status)
    check("the alert is handled from the phone", status.get("status") == "handled", str(status.get("status")))
    width = phone.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
    check("the field page fits 360 px without sideways scrolling", width[0] == 360 and width[1] <= 360, f"{width}")
    collect_console(phone, "field")

    # A case walks to closure with two users: the officer rectifies with a photo, a supervisor closes it.
    unit = api("GET", "/api/v1/auth/me", officer)["unitCode"]
    created = api("POST", "/api/v1/cases", hq, {
        "source": "patrol", "category": "dust_road", "title": "道路积尘（浏览器测试）", "description": "主路积尘，车过扬尘",
        "longitude": 116.36, "latitude": 39.88, "responsibleUnitCode": unit, "workingDays": 3})
    case_id = created["case"]["id"]
    phone.get(f"{base}/cases/{case_id}")
    wait(phone, lambda d: d.find_elements(By.CSS_SELECTOR, '.step-form[data-action="start_rectifying"]') or False)[0] \
        .find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(phone, lambda d: d.find_elements(By.CSS_SELECTOR, '.step-form[data-action="submit"]') or False)
    phone.find_element(By.ID, "upload-file").send_keys(photo)
    phone.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()
    wait(phone, lambda d: d.find_elements(By.CSS_SELECTOR, "#case-evidence img") or False)
    submit = wait(phone, lambda d: d.find_elements(By.CSS_SELECTOR, '.step-form[data-action="submit"] input[name=evidence]') or False)
    form = phone.find_element(By.CSS_SELECTOR, '.step-form[data-action="submit"]')
    form.find_element(By.NAME, "note").send_keys("已清扫并洒水，照片为证")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(phone, lambda d: "待核查" in d.find_element(By.ID, "case-facts").text)
    phone.save_screenshot(os.path.join(artifacts, "case-submitted-360.png"))
    check("the officer's photo has a thumbnail", bool(phone.find_elements(By.CSS_SELECTOR, "#case-evidence img")))
    collect_console(phone, "case (officer)")

    # Administration as HQ: a rule disabled and enabled again, a user created through the form.
    desk.get(base + "/admin")
    toggle = wait(desk, lambda d: d.find_elements(By.CSS_SELECTOR, "button.toggle-rule") or False)[0]
    rule = toggle.get_attribute("data-rule")
    before = toggle.text
    label = ("return [...document.querySelectorAll('button.toggle-rule')]"
             ".filter((b) => b.dataset.rule === arguments[0]).map((b) => b.textContent)[0] || null")
    toggle.click()
    flipped = wait(desk, lambda d: (d.execute_script(label, rule) or before) != before)
    check("an alert rule is disabled from the admin page", flipped)
    desk.find_element(By.CSS_SELECTOR, f'button.toggle-rule[data-rule="{rule}"]').click()
    wait(desk, lambda d: d.execute_script(label, rule) == before)
    new_user = f"ui-grid-{int(time.time())}"
    desk.find_element(By.ID, "u-username").send_keys(new_user)
    desk.find_element(By.ID, "u-name").send_keys("测试网格员")
    desk.find_element(By.ID, "u-password").send_keys("a-long-enough-password")
    desk.find_element(By.CSS_SELECTOR, "#user-form button[type=submit]").click()
    wait(desk, lambda d: new_user in d.find_element(By.ID, "user-result").text)
    check("a user is created from the admin page", new_user in desk.find_element(By.ID, "users-table").text)
    desk.save_screenshot(os.path.join(artifacts, "admin.png"))
    collect_console(desk, "admin")

    desk.delete_all_cookies()
    sign_in(desk, "supervisor", "/dashboard")
    desk.get(f"{base}/cases?status=submitted")
    wait(desk, lambda d: d.find_elements(By.CSS_SELECTOR, f'#cases-table tr[data-case="{case_id}"] a') or False)[0].click()
    close = wait(desk, lambda d: d.find_elements(By.CSS_SELECTOR, '.step-form[data-action="close"]') or False)[0]
    close.find_element(By.NAME, "note").send_keys("现场核查，已整改到位")
    close.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(desk, lambda d: "已销号" in d.find_element(By.ID, "case-facts").text)
    timeline = [li.get_attribute("data-action") for li in desk.find_elements(By.CSS_SELECTOR, "#case-timeline li")]
    check("the case walked to closure with two users",
          timeline == ["created", "assign", "start_rectifying", "submit", "close"], str(timeline))
    desk.save_screenshot(os.path.join(artifacts, "case-closed.png"))
    collect_console(desk, "case (supervisor)")

    # The public page: no sign-in, no private field.
    public = browser()
    try:
        public.get(base + "/")
        rows = public.find_elements(By.CSS_SELECTOR, "#stations tbody tr[data-station]")
        check("the public page lists every station", len(rows) == len(stations))
        wait(public, lambda d: "…" not in d.find_element(By.CSS_SELECTOR, "#stations tbody td.aqi-cell").text)
        source = public.page_source
        # A complainant of the demo ledger, device identities, people's records and titles.
        private = ["王女士", "138****0000", "BJDEMO", "demo-", "reporterName", "reporterContact", "personID",
                   "街道办事处主任", "网格长"]
        leaked = [word for word in private if word in source]
        check("the public page shows no private field", not leaked, str(leaked))
        nav = [a.text for a in public.find_elements(By.CSS_SELECTOR, ".nav a")]
        check("the public sees only the public page", nav == ["空气质量"], str(nav))
        public.save_screenshot(os.path.join(artifacts, "public.png"))
        public.find_element(By.ID, "language-switch").click()
        wait(public, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
        check("the English switch works", "Air quality now" in public.find_element(By.TAG_NAME, "h1").text)
        public.save_screenshot(os.path.join(artifacts, "public-en.png"))
        collect_console(public, "public")
    finally:
        public.quit()

    check("no console errors", not console_errors, "\n".join(console_errors))

    # Speed: the dashboard's first paint, and the API calls behind it.
    # Figures, not timed assertions (a loaded CI machine is slow, not wrong): they go into the issue notes.
    print(f"  figure: dashboard first contentful paint {paint:.0f} ms (goal < 1000)" if paint else "  figure: no paint entry")
    calls = ["/api/v1/latest", "/api/v1/rankings/regions", "/api/v1/regions.geojson", "/api/v1/zones",
             "/api/v1/alerts?status=open,dispatched,acknowledged,handled,verified&limit=1000",
             "/api/v1/cases?overdue=true&limit=20"]
    for path in calls:
        samples = []
        for _ in range(50):
            start = time.perf_counter()
            api("GET", path, hq)
            samples.append((time.perf_counter() - start) * 1000)
        p95 = statistics.quantiles(samples, n=20)[-1]
        print(f"  figure: {path} p50 {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms (goal < 100)")
finally:
    desk.quit()
    if phone:
        phone.quit()

print(f"ui: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
