"""Browser smoke test of the demo in Debian's headless Chromium (Selenium).

Usage: smoke.py BASE_URL ARTIFACT_DIR
Checks the home page lists the twelve Beijing stations, that the Chinese error page renders, and that
the browser console stays free of errors. Screenshots go to ARTIFACT_DIR. Prints `browser: N passed, M failed`.
"""
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
artifacts = sys.argv[2] if len(sys.argv) > 2 else "artifacts"
os.makedirs(artifacts, exist_ok=True)

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900"):
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)

passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"  ok   {name}")
    else:
        failed += 1
        print(f"  FAIL {name} {detail}")


try:
    driver.get(base + "/")
    rows = driver.find_elements(By.CSS_SELECTOR, "#stations tbody tr[data-station]")
    check("home page lists 12 stations", len(rows) == 12, f"found {len(rows)}")
    check("page is Chinese first", driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN")
    check("station count shown", "共 12 个站点" in driver.find_element(By.ID, "station-count").text)
    codes = {row.get_attribute("data-station") for row in rows}
    check("real station codes", {"1001A", "1012A"} <= codes, str(sorted(codes)))
    driver.save_screenshot(os.path.join(artifacts, "home.png"))

    driver.set_window_size(360, 740)
    driver.get(base + "/")
    check("home page renders at phone width", len(driver.find_elements(By.CSS_SELECTOR, "#stations tbody tr")) == 12)
    driver.save_screenshot(os.path.join(artifacts, "home-360.png"))

    driver.get(base + "/no/such/page")
    check("friendly Chinese 404 page", "页面不存在" in driver.find_element(By.TAG_NAME, "h1").text)
    driver.save_screenshot(os.path.join(artifacts, "not-found.png"))

    driver.get(base + "/")
    errors = [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
    # The deliberate 404 above logs one 'Failed to load resource' for itself; nothing else may appear.
    unexpected = [e for e in errors if "/no/such/page" not in e.get("message", "")]
    check("no console errors", not unexpected, str(unexpected))
finally:
    driver.quit()

print(f"browser: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
