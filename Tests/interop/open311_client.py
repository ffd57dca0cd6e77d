"""Open311 interop: the real GeoReport v2 client library (`georeport` from PyPI) reads what Lantian serves.

Usage: open311_client.py BASE_URL API_KEY
The library has no create call, so the create is a plain form POST exactly as the GeoReport v2 specification
shows (application/x-www-form-urlencoded, with api_key). Everything else goes through georeport.GeoReport.
Prints `open311 interop: N passed, M failed` and exits 1 when anything failed.
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

from georeport import GeoReport

base = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8080"
api_key = sys.argv[2] if len(sys.argv) > 2 else "demo-open311-key"
root = base + "/open311/v2"
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"  ok   {name}")
    else:
        failed += 1
        print(f"  FAIL {name} {detail}")


def post(fields):
    data = urllib.parse.urlencode(fields).encode("utf-8")
    request = urllib.request.Request(
        root + "/requests.json", data=data, headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode("utf-8"))


try:
    client = GeoReport(root, jurisdiction="lantian-demo")
    services = client.get_service_list()
    codes = {service["service_code"] for service in services}
    check("services list the ledger's categories", {"cooking_fumes", "dust_construction", "open_burning"} <= codes,
          str(sorted(codes)))
    check("every service has the fields GeoReport defines",
          all({"service_code", "service_name", "description", "metadata", "type", "keywords", "group"} <= set(s)
              for s in services))
    definition = client.get_service_definition("open_burning")
    check("a service definition", definition.get("service_code") == "open_burning", str(definition))

    status, body = post({"service_code": "open_burning", "lat": "39.929", "long": "116.4137",
                         "description": "小区旁有人焚烧垃圾（互通测试）", "email": "tester@example.com"})
    check("create without api_key is refused with 403", status == 403 and body[0]["code"] == 403, f"{status} {body}")

    status, body = post({"api_key": api_key, "service_code": "open_burning", "lat": "39.929", "long": "116.4137",
                         "address_string": "东城区东四街道某小区", "description": "小区旁有人焚烧垃圾（互通测试）",
                         "first_name": "晓东", "last_name": "张", "email": "tester@example.com",
                         "phone": "13800138000", "media_url": "https://photos.example.com/burning/1.jpg",
                         "device_id": "interop-device", "account_id": "interop-account"})
    check("create answers 201 with a service_request_id", status == 201 and body[0].get("service_request_id"),
          f"{status} {body}")
    request_id = body[0]["service_request_id"]

    one = client.get_service_request(request_id)
    check("the request reads back", one.get("service_request_id") == request_id, str(one))
    check("it is open with a status note", one.get("status") == "open" and one.get("status_notes"), str(one))
    check("its place and service", one.get("service_code") == "open_burning" and abs(one.get("lat", 0) - 39.929) < 1e-9,
          str(one))
    check("its media_url, as its own field", one.get("media_url") == "https://photos.example.com/burning/1.jpg",
          str(one))
    text = json.dumps(one, ensure_ascii=False)
    check("no private field is exposed",
          not any(secret in text for secret in ("tester@example.com", "13800138000", "晓东", "reporter",
                                                 "interop-device", "interop-account")), text)

    listed = client.get_service_requests(service_request_id=request_id)
    check("requests.json by id", [r["service_request_id"] for r in listed] == [request_id], str(listed))
    open_ones = client.get_service_requests(service_code="open_burning", status="open")
    check("requests.json filtered by service and status", request_id in [r["service_request_id"] for r in open_ones])
    everything = client.get_service_requests()
    check("the default window lists it, and only public requests",
          request_id in [r["service_request_id"] for r in everything]
          and all(r["service_request_id"].startswith("LT-") for r in everything), str(everything)[:300])
except Exception as error:  # a crash of the client or the server is a failure, with its reason
    failed += 1
    print(f"  FAIL unexpected error: {error!r}")

print(f"open311 interop: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
