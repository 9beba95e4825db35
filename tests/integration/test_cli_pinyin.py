def test_flask_pinyin_prints_annotation_sandhi_and_palladius(runner):
    result = runner.invoke(args=["pinyin", "你好，深圳银行"])
    assert result.exit_code == 0
    assert "Nǐ hǎo, Shēnzhèn yínháng" in result.output
    assert "ní hǎo" in result.output.lower()  # the sandhi view
    assert "Шэньчжэнь" in result.output
