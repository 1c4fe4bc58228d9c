# Product search at province scale (issue #10): PostgreSQL keeps each product's full-text document in a
# column filled by triggers, with a GIN index, instead of building it for every row on every search.
# The column is invisible to the ORM (marketplace.catalogue.search reads it with RawSQL); on SQLite this
# migration does nothing and search keeps its icontains path.
from django.db import migrations

DOCUMENT = """
    setweight(to_tsvector('simple', coalesce(unaccent({name}), '')), 'A')
    || setweight(to_tsvector('simple', coalesce(unaccent({category}), '')), 'B')
    || setweight(to_tsvector('simple', coalesce(unaccent({store}), '')), 'B')
    || setweight(to_tsvector('simple', coalesce(unaccent({description}), '')), 'C')
"""

FORWARD = f"""
ALTER TABLE marketplace_product ADD COLUMN IF NOT EXISTS search_document tsvector;

CREATE OR REPLACE FUNCTION marketplace_product_search_document() RETURNS trigger AS $$
BEGIN
    NEW.search_document := {DOCUMENT.format(
        name="NEW.name",
        category="(SELECT name FROM marketplace_category WHERE id = NEW.category_id)",
        store="(SELECT name FROM marketplace_store WHERE id = NEW.store_id)",
        description="NEW.description",
    )};
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS marketplace_product_search_document ON marketplace_product;
CREATE TRIGGER marketplace_product_search_document
    BEFORE INSERT OR UPDATE OF name, description, category_id, store_id ON marketplace_product
    FOR EACH ROW EXECUTE FUNCTION marketplace_product_search_document();

-- A renamed category or store rewrites the documents of its products (setting name = name fires the trigger).
CREATE OR REPLACE FUNCTION marketplace_category_search_document() RETURNS trigger AS $$
BEGIN
    IF NEW.name IS DISTINCT FROM OLD.name THEN
        UPDATE marketplace_product SET name = name WHERE category_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS marketplace_category_search_document ON marketplace_category;
CREATE TRIGGER marketplace_category_search_document
    AFTER UPDATE OF name ON marketplace_category
    FOR EACH ROW EXECUTE FUNCTION marketplace_category_search_document();

CREATE OR REPLACE FUNCTION marketplace_store_search_document() RETURNS trigger AS $$
BEGIN
    IF NEW.name IS DISTINCT FROM OLD.name THEN
        UPDATE marketplace_product SET name = name WHERE store_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS marketplace_store_search_document ON marketplace_store;
CREATE TRIGGER marketplace_store_search_document
    AFTER UPDATE OF name ON marketplace_store
    FOR EACH ROW EXECUTE FUNCTION marketplace_store_search_document();

UPDATE marketplace_product AS p SET search_document = {DOCUMENT.format(
    name="p.name", category="c.name", store="s.name", description="p.description"
)}
FROM marketplace_category AS c, marketplace_store AS s
WHERE c.id = p.category_id AND s.id = p.store_id;

CREATE INDEX IF NOT EXISTS marketplace_product_search_document_gin
    ON marketplace_product USING gin (search_document);
"""

BACKWARD = """
DROP TRIGGER IF EXISTS marketplace_store_search_document ON marketplace_store;
DROP TRIGGER IF EXISTS marketplace_category_search_document ON marketplace_category;
DROP TRIGGER IF EXISTS marketplace_product_search_document ON marketplace_product;
DROP FUNCTION IF EXISTS marketplace_store_search_document();
DROP FUNCTION IF EXISTS marketplace_category_search_document();
DROP FUNCTION IF EXISTS marketplace_product_search_document();
ALTER TABLE marketplace_product DROP COLUMN IF EXISTS search_document;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0006_order_paid_at_index")]

    operations = [migrations.RunPython(forward, backward)]
