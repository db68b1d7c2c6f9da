-- Residents listed in the order of the Kazakh Cyrillic alphabet, case blind, the same on both
-- engines: `name_order` is a key whose code point (byte) order is that order
-- (outreach/domain/name_order.py computes it on every write of a name; a test keeps this
-- file's SQL in step with it). Code points put Ә Ғ Қ Ң Ө Ұ Ү Һ І after Я, and the engines'
-- lower() differ (SQLite's folds ASCII only, PostgreSQL's follows the server's locale), so the
-- key lowercases ASCII and Russian letters by hand and spells each other letter of the alphabet
-- as the letter it follows and U+04FF, which sorts after every Russian letter: Қ is кӿ (after
-- кя, before л), Ұ is уӿ and Ү уӿӿ.
--
-- A column the program writes with the name, not a generated column: SQLite's parser overflows
-- its stack on more than about 30 nested calls and the mapping takes 78 replace() calls. The
-- key of the residents already here is filled below, in four steps for that reason.
ALTER TABLE residents ADD COLUMN name_order TEXT;

UPDATE residents SET name_order =
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(
        name,
        'A', 'a'), 'B', 'b'), 'C', 'c'), 'D', 'd'), 'E', 'e'), 'F', 'f'),
        'G', 'g'), 'H', 'h'), 'I', 'i'), 'J', 'j'), 'K', 'k'), 'L', 'l'),
        'M', 'm'), 'N', 'n'), 'O', 'o'), 'P', 'p'), 'Q', 'q'), 'R', 'r'),
        'S', 's'), 'T', 't'), 'U', 'u'), 'V', 'v'), 'W', 'w'), 'X', 'x'),
        'Y', 'y'), 'Z', 'z')
WHERE name IS NOT NULL;
UPDATE residents SET name_order =
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(
        name_order,
        'А', 'а'), 'Б', 'б'), 'В', 'в'), 'Г', 'г'), 'Д', 'д'), 'Е', 'е'),
        'Ж', 'ж'), 'З', 'з'), 'И', 'и'), 'Й', 'й'), 'К', 'к'), 'Л', 'л'),
        'М', 'м'), 'Н', 'н'), 'О', 'о'), 'П', 'п')
WHERE name IS NOT NULL;
UPDATE residents SET name_order =
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(
        name_order,
        'Р', 'р'), 'С', 'с'), 'Т', 'т'), 'У', 'у'), 'Ф', 'ф'), 'Х', 'х'),
        'Ц', 'ц'), 'Ч', 'ч'), 'Ш', 'ш'), 'Щ', 'щ'), 'Ъ', 'ъ'), 'Ы', 'ы'),
        'Ь', 'ь'), 'Э', 'э'), 'Ю', 'ю'), 'Я', 'я')
WHERE name IS NOT NULL;
UPDATE residents SET name_order =
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
        name_order,
        'Ә', 'аӿ'), 'ә', 'аӿ'), 'Ғ', 'гӿ'), 'ғ', 'гӿ'), 'Ё', 'еӿ'), 'ё', 'еӿ'),
        'Қ', 'кӿ'), 'қ', 'кӿ'), 'Ң', 'нӿ'), 'ң', 'нӿ'), 'Ө', 'оӿ'), 'ө', 'оӿ'),
        'Ұ', 'уӿ'), 'ұ', 'уӿ'), 'Ү', 'уӿӿ'), 'ү', 'уӿӿ'), 'Һ', 'хӿ'), 'һ', 'хӿ'),
        'І', 'ыӿ'), 'і', 'ыӿ')
WHERE name IS NOT NULL;
