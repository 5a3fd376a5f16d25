-- The database contract. Later issues, the pages, indicators/ and outside tools (Python, R, the
-- DuckDB CLI) read these tables; the names marked FIXED must not change.
-- Codes are stored stripped (no padding). Periods are text ('2020', '2019-2022').

-- FIXED: areas as versioned reference data, one row per (code, division year).
CREATE TABLE areas (
    area_code      VARCHAR NOT NULL,   -- GM0363, WK036300, PV27, GG3406, NL01, BE NIS codes later
    name           VARCHAR NOT NULL,   -- official name (Dutch where one exists)
    name_fr        VARCHAR,            -- French name where an official one exists (BE)
    name_de        VARCHAR,            -- German name where one exists (BE)
    level          VARCHAR NOT NULL,   -- country | province | ggd_region | gemeente | wijk | (BE: region, arrondissement, sector)
    division_year  INTEGER NOT NULL,   -- municipal division (indeling) the code belongs to
    country        VARCHAR NOT NULL,   -- NL | BE
    parent_code    VARCHAR,            -- wijk -> gemeente; gemeente -> province; province -> country
    province_code  VARCHAR,            -- for gemeenten/wijken
    ggd_code       VARCHAR,            -- for NL gemeenten/wijken
    land_area_km2  DOUBLE,             -- from the boundary geometry (equal-area projection), NULL without one
    name_nl        VARCHAR,            -- BE: Statbel Dutch name, exonyms included ('Luik'); NULL for NL
    region_code    VARCHAR,            -- BE: 02000 Flanders | 03000 Wallonia | 04000 Brussels; NULL for NL
    PRIMARY KEY (area_code, division_year)
);

-- Municipal mergers and splits (herindelingen): old code in one division -> new code in a later one.
CREATE TABLE area_crosswalk (
    old_code       VARCHAR NOT NULL,
    old_year       INTEGER NOT NULL,
    new_code       VARCHAR NOT NULL,
    new_year       INTEGER NOT NULL,
    share_of_old   DOUBLE NOT NULL,    -- share of the old area's land inside the new code (1.0 = whole)
    kind           VARCHAR NOT NULL,   -- merge | split | renumber | unchanged
    note           VARCHAR,
    PRIMARY KEY (old_code, old_year, new_code, new_year)
);

-- Display geometry per area, level and division year: GeoJSON geometry text in EPSG:4326,
-- simplified with simplify_coverage, coordinates rounded to 1e-5, exterior rings CLOCKWISE
-- (plotly's geo subplot needs that; see shared/ECOSYSTEM.md).
CREATE TABLE geometries (
    area_code      VARCHAR NOT NULL,
    level          VARCHAR NOT NULL,
    division_year  INTEGER NOT NULL,
    geojson        VARCHAR NOT NULL,
    source_id      VARCHAR NOT NULL,
    PRIMARY KEY (area_code, level, division_year)
);

-- FIXED: the indicator registry, loaded from data/catalog/indicators.toml.
CREATE TABLE indicators (
    indicator_id   VARCHAR PRIMARY KEY,
    label_nl       VARCHAR NOT NULL,
    label_en       VARCHAR NOT NULL,
    label_fr       VARCHAR NOT NULL,
    definition_nl  VARCHAR NOT NULL,
    definition_en  VARCHAR NOT NULL,
    definition_fr  VARCHAR NOT NULL,
    theme          VARCHAR NOT NULL,   -- health_status | lifestyle | mental_health | social | socio_economic | population
    unit           VARCHAR NOT NULL,   -- percent | euro_x1000 | count | years | per_km2 | ratio ...
    scale          DOUBLE NOT NULL,    -- 100 for percent, 1 otherwise (HEAT indicator_scale)
    decimals       INTEGER NOT NULL,
    polarity       VARCHAR NOT NULL,   -- high_is_good | low_is_good | no_judgement
    value_type     VARCHAR NOT NULL,   -- proportion | rate | mean | count | other (picks the CI / SII method)
    modelled       BOOLEAN NOT NULL,   -- small-area model estimates (RIVM SMAP)
    source_id      VARCHAR NOT NULL,
    licence        VARCHAR NOT NULL
);

-- FIXED: every value in one long table. Unique per (area_code, division_year, period, age_group,
-- indicator_id): the build checks this before writing (healthgap/build/validate.py) instead of a
-- PRIMARY KEY, whose index made the file 13x larger (46 MB vs 3.7 MB); rows are stored sorted by
-- indicator, level, division year, period so filters on those read few blocks. See decision 0001.
CREATE TABLE indicator_values (
    area_code      VARCHAR NOT NULL,
    level          VARCHAR NOT NULL,
    division_year  INTEGER NOT NULL,
    period         VARCHAR NOT NULL,
    age_group      VARCHAR NOT NULL,   -- '18+', '18-64', '65+', '16-25', 'all'
    indicator_id   VARCHAR NOT NULL,
    value          DOUBLE,             -- NULL when status is suppressed or missing; never 0 for those
    lower          DOUBLE,
    upper          DOUBLE,
    numerator      DOUBLE,
    denominator    DOUBLE,
    status         VARCHAR NOT NULL,   -- observed | modelled | suppressed | missing
    source_id      VARCHAR NOT NULL
);

-- Sources with licence and attribution (from data/sources.toml) and the file actually read.
CREATE TABLE sources (
    source_id      VARCHAR PRIMARY KEY,
    country        VARCHAR NOT NULL,
    publisher      VARCHAR NOT NULL,
    title          VARCHAR NOT NULL,
    licence        VARCHAR NOT NULL,
    attribution    VARCHAR NOT NULL,
    path           VARCHAR NOT NULL,   -- inside the sources folder
    origin         VARCHAR,            -- online origin (OData table id or URL)
    parser         VARCHAR NOT NULL,
    period         VARCHAR,            -- data year(s) shown in footers
    sha256         VARCHAR,
    bytes          BIGINT
);

-- One row: when and from what this database was built.
CREATE TABLE build_info (
    built_at       TIMESTAMP NOT NULL,
    code_version   VARCHAR NOT NULL,
    sources_dir    VARCHAR NOT NULL,
    schema_version INTEGER NOT NULL,
    seconds        DOUBLE
);
