-- Residents listed in the order of the Kazakh Cyrillic alphabet, case blind, the same on both
-- engines: `name_order` is a key whose code point (byte) order is that order
-- (outreach/domain/name_order.py computes it on every write of a name; a test keeps this
-- file's SQL in step with it). Code points put Ә Ғ Қ Ң Ө Ұ Ү Һ І after Я, and the engines'
-- lower() differ (SQLite's folds ASCII only, PostgreSQL's follows the server's locale), so the
-- key lowercases ASCII and Russian letters by hand and spells each other letter of the alphabet
-- as the letter it follows and U+04FF, which sorts after every Russian letter: Қ is кӿ (after
-- кя, before л), Ұ is уӿ and Ү уӿӿ.
--
-- A column the program writes with the name, as on SQLite (where a generated column cannot
-- hold the mapping); the key of the residents already here is filled below. COLLATE "C":
-- compared byte by byte (code point by code point in UTF-8), whatever the server's locale.
ALTER TABLE residents ADD COLUMN name_order TEXT COLLATE "C";

UPDATE residents SET name_order =
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
        translate(name,
            'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
            || 'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ',
            'abcdefghijklmnopqrstuvwxyz'
            || 'абвгдежзийклмнопрстуфхцчшщъыьэюя'),
        'Ә', 'аӿ'), 'ә', 'аӿ'), 'Ғ', 'гӿ'), 'ғ', 'гӿ'), 'Ё', 'еӿ'), 'ё', 'еӿ'),
        'Қ', 'кӿ'), 'қ', 'кӿ'), 'Ң', 'нӿ'), 'ң', 'нӿ'), 'Ө', 'оӿ'), 'ө', 'оӿ'),
        'Ұ', 'уӿ'), 'ұ', 'уӿ'), 'Ү', 'уӿӿ'), 'ү', 'уӿӿ'), 'Һ', 'хӿ'), 'һ', 'хӿ'),
        'І', 'ыӿ'), 'і', 'ыӿ')
WHERE name IS NOT NULL;
