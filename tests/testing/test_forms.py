from stripe_dbapi.testing.forms import parse_form


def test_nested_keys_become_dicts_and_lists():
    form = "metadata[tier]=gold&items[0][price]=price_1&items[1][price]=price_2&items[1][quantity]=3&expand[]=a&expand[]=b"
    assert parse_form(form) == {
        "metadata": {"tier": "gold"},
        "items": [{"price": "price_1"}, {"price": "price_2", "quantity": "3"}],
        "expand": ["a", "b"],
    }


def test_empty_values_are_kept_for_unsetting():
    assert parse_form("metadata[tier]=&description=") == {
        "metadata": {"tier": ""},
        "description": "",
    }


def test_indexes_order_lists_numerically():
    pairs = "&".join(f"expand[{i}]=f{i}" for i in (10, 2, 0, 1))
    assert parse_form(pairs)["expand"] == ["f0", "f1", "f2", "f10"]
