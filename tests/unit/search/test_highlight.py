from search.highlight import highlight


def test_a_highlighted_title_escapes_markup_before_marking_the_words_found():
    html = highlight('<img src=x onerror="steal()">桑植白茶', ["白茶"])
    assert html == "&lt;img src=x onerror=&quot;steal()&quot;&gt;桑植<mark>白茶</mark>"


def test_a_query_word_that_looks_like_markup_is_escaped_inside_the_mark():
    assert highlight("<b>特级</b>", ["<b>"]) == "<mark>&lt;b&gt;</mark>特级&lt;/b&gt;"
