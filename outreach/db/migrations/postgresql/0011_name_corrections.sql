-- Coordinators correct settlements' Kazakh and Russian names too: the history of corrections
-- accepts them.
ALTER TABLE village_corrections DROP CONSTRAINT village_corrections_field_check;
ALTER TABLE village_corrections ADD CONSTRAINT village_corrections_field_check
    CHECK (field IN ('position', 'population', 'population_year', 'name_kk', 'name_ru'));
