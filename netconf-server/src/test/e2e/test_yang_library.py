"""ietf-yang-library (RFC 8525) and its deprecated modules-state (RFC 7895) on <get>: every module algd
advertises, with its revision, in agreement with the hello and get-schema."""

from urllib.parse import parse_qs

from algd_e2e import NS

YL = "urn:ietf:params:xml:ns:yang:ietf-yang-library"
ALGD_MODULES = {"algd-system", "algd-interfaces", "algd-nat", "algd-firewall", "algd-session-table"}


def hello_modules(nc):
    """{(module, revision)} of the hello's module capabilities."""
    modules = set()
    for capability in nc.server_capabilities:
        if "module=" in capability:
            query = parse_qs(capability.split("?", 1)[1])
            modules.add((query["module"][0], query.get("revision", [""])[0]))
    return modules


def yang_library(nc):
    return nc.get(filter=("subtree", f'<yang-library xmlns="{YL}"/>')).data_ele.find(f"{{{YL}}}yang-library")


def check_library_lists_every_advertised_module_with_its_revision(nc):
    library = yang_library(nc)
    assert library is not None, "no yang-library in <get>"
    module_set = library.find(f"{{{YL}}}module-set")
    implemented = {(m.findtext(f"{{{YL}}}name"), m.findtext(f"{{{YL}}}revision"))
                   for m in module_set.findall(f"{{{YL}}}module")}
    import_only = {(m.findtext(f"{{{YL}}}name"), m.findtext(f"{{{YL}}}revision"))
                   for m in module_set.findall(f"{{{YL}}}import-only-module")}
    assert {(name, "2026-11-25") for name in ALGD_MODULES} <= implemented, implemented
    assert ("ietf-yang-library", "2019-01-04") in implemented
    assert ("ietf-inet-types", "2013-07-15") in import_only, import_only
    assert implemented | import_only == hello_modules(nc), \
        "the hello's module capabilities and the yang library disagree"
    for name, _ in implemented | import_only:
        assert f"module {name}" in nc.get_schema(name).data, f"get-schema has no {name}"
    netconf = [m for m in module_set.findall(f"{{{YL}}}module") if m.findtext(f"{{{YL}}}name") == "ietf-netconf"]
    features = {f.text for f in netconf[0].findall(f"{{{YL}}}feature")}
    assert {"candidate", "confirmed-commit", "validate", "writable-running"} <= features, features
    datastores = {d.findtext(f"{{{YL}}}name").split(":")[-1] for d in library.findall(f"{{{YL}}}datastore")}
    assert {"running", "candidate"} <= datastores, datastores


def check_modules_state_and_the_hello_carry_the_same_module_set_id(nc):
    data = nc.get(filter=("subtree", f'<modules-state xmlns="{YL}"/>')).data_ele
    state = data.find(f"{{{YL}}}modules-state")
    modules = {(m.findtext(f"{{{YL}}}name"), m.findtext(f"{{{YL}}}revision")): m.findtext(f"{{{YL}}}conformance-type")
               for m in state.findall(f"{{{YL}}}module")}
    assert set(modules) == hello_modules(nc)
    assert all(modules[(name, "2026-11-25")] == "implement" for name in ALGD_MODULES), modules
    assert modules[("ietf-inet-types", "2013-07-15")] == "import"
    module_set_id = state.findtext(f"{{{YL}}}module-set-id")
    assert module_set_id == yang_library(nc).findtext(f"{{{YL}}}content-id")
    library_capability = [c for c in nc.server_capabilities
                          if c.startswith("urn:ietf:params:netconf:capability:yang-library:1.0?")]
    assert library_capability, "the hello does not advertise :yang-library"
    query = parse_qs(library_capability[0].split("?", 1)[1])
    assert query["revision"] == ["2019-01-04"] and query["module-set-id"] == [module_set_id], library_capability


def test_yang_library_and_modules_state_agree_with_the_hello_and_get_schema(nc):
    # One daemon for all three checks: they only read, and each daemon start costs the e2e run seconds.
    check_library_lists_every_advertised_module_with_its_revision(nc)
    check_modules_state_and_the_hello_carry_the_same_module_set_id(nc)
    data = nc.get().data_xml
    assert "<yang-library" in data and "<modules-state" in data and f'xmlns="{NS["if"]}"' in data, \
        "a <get> without filter lost the configuration or the library"
