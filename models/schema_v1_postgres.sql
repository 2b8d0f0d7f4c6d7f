-- Step 1 of the schema on PostgreSQL: the same tables and columns as schema_v1.sql (a test
-- checks it), in PostgreSQL's types, and the SQL functions that the store's queries, written
-- for SQLite, call. Never edit: later steps change it.

CREATE EXTENSION IF NOT EXISTS unaccent;

-- SQLite's NOCASE collation: ORDER BY name COLLATE NOCASE.
CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

-- julianday(t): days since noon in Greenwich on November 24, 4714 B.C.
CREATE OR REPLACE FUNCTION julianday(t timestamptz) RETURNS double precision
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT extract(epoch FROM t)::double precision / 86400.0 + 2440587.5 $$;

-- strftime(format, t) for the formats the store uses (%Y %m %d %H %M and %f), in UTC.
CREATE OR REPLACE FUNCTION strftime(f text, t timestamptz) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT to_char(t AT TIME ZONE 'UTC', replace(replace(replace(replace(replace(replace(
		f, '%Y', 'YYYY'), '%m', 'MM'), '%d', 'DD'), '%H', 'HH24'), '%M', 'MI'), '%f', 'SS.MS')) $$;

-- sum(condition) counts the rows where it holds, as SQLite's sum of 0s and 1s.
CREATE OR REPLACE FUNCTION sum_bool_step(n bigint, b boolean) RETURNS bigint
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$ SELECT n + CASE WHEN b THEN 1 ELSE 0 END $$;

CREATE OR REPLACE AGGREGATE sum(boolean) (SFUNC = sum_bool_step, STYPE = bigint, INITCOND = '0');

CREATE TABLE IF NOT EXISTS users (id bigserial PRIMARY KEY, handle text NOT NULL, name text NOT NULL, email text, email_verified boolean NOT NULL DEFAULT false, avatar_url text, bio text, role text NOT NULL DEFAULT 'reader', created_at timestamptz, updated_at timestamptz);

CREATE TABLE IF NOT EXISTS categories (id bigserial PRIMARY KEY, name text NOT NULL, slug text NOT NULL, description text, position bigint NOT NULL DEFAULT 0);

CREATE TABLE IF NOT EXISTS tags (id bigserial PRIMARY KEY, name text NOT NULL, slug text NOT NULL);

CREATE TABLE IF NOT EXISTS companies (id bigserial PRIMARY KEY, name text NOT NULL, slug text NOT NULL, description text, key text);

CREATE TABLE IF NOT EXISTS stories (id bigserial PRIMARY KEY, title text NOT NULL, slug text NOT NULL, body text NOT NULL, html text NOT NULL, excerpt text NOT NULL, plain_text text NOT NULL DEFAULT '', author_id bigint NOT NULL, company_id bigint, city text, status text NOT NULL DEFAULT 'draft', resolution text NOT NULL DEFAULT 'open', published_at timestamptz, created_at timestamptz, updated_at timestamptz, comment_count bigint NOT NULL DEFAULT 0, like_count bigint NOT NULL DEFAULT 0, me_too_count bigint NOT NULL DEFAULT 0, review_note text NOT NULL DEFAULT '', comments_closed boolean NOT NULL DEFAULT false, CONSTRAINT fk_stories_author FOREIGN KEY (author_id) REFERENCES users(id), CONSTRAINT fk_stories_company FOREIGN KEY (company_id) REFERENCES companies(id));

CREATE TABLE IF NOT EXISTS story_tags (story_id bigint, tag_id bigint, PRIMARY KEY (story_id, tag_id), CONSTRAINT fk_story_tags_tag FOREIGN KEY (tag_id) REFERENCES tags(id), CONSTRAINT fk_story_tags_story FOREIGN KEY (story_id) REFERENCES stories(id));

CREATE TABLE IF NOT EXISTS story_categories (story_id bigint, category_id bigint, PRIMARY KEY (story_id, category_id), CONSTRAINT fk_story_categories_story FOREIGN KEY (story_id) REFERENCES stories(id), CONSTRAINT fk_story_categories_category FOREIGN KEY (category_id) REFERENCES categories(id));

CREATE TABLE IF NOT EXISTS comments (id bigserial PRIMARY KEY, story_id bigint NOT NULL, parent_id bigint, depth bigint NOT NULL DEFAULT 0, user_id bigint, author_name text NOT NULL, author_email text, author_url text, body text NOT NULL, html text NOT NULL, status text NOT NULL DEFAULT 'pending', created_at timestamptz, updated_at timestamptz, ip text, guest_key text, deleted boolean NOT NULL DEFAULT false, CONSTRAINT fk_comments_story FOREIGN KEY (story_id) REFERENCES stories(id) ON DELETE CASCADE, CONSTRAINT fk_comments_user FOREIGN KEY (user_id) REFERENCES users(id));

CREATE TABLE IF NOT EXISTS identities (id bigserial PRIMARY KEY, user_id bigint NOT NULL, provider text NOT NULL, provider_user_id text NOT NULL, email text, email_verified boolean NOT NULL DEFAULT false, name text, created_at timestamptz, last_used_at timestamptz, CONSTRAINT fk_identities_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE);

CREATE TABLE IF NOT EXISTS sessions (id bigserial PRIMARY KEY, hash text NOT NULL, user_id bigint NOT NULL, csrf text NOT NULL, expires_at timestamptz, created_at timestamptz, CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE);

CREATE TABLE IF NOT EXISTS login_states (id bigserial PRIMARY KEY, state_hash text NOT NULL, binding_hash text NOT NULL, provider text NOT NULL, secret text NOT NULL, next text, link_user_id bigint, expires_at timestamptz);

CREATE TABLE IF NOT EXISTS one_time_tokens (id bigserial PRIMARY KEY, hash text NOT NULL, purpose text NOT NULL, user_id bigint, expires_at timestamptz, created_at timestamptz);

CREATE TABLE IF NOT EXISTS likes (story_id bigint, user_id bigint, created_at timestamptz, PRIMARY KEY (story_id, user_id), CONSTRAINT fk_likes_story FOREIGN KEY (story_id) REFERENCES stories(id) ON DELETE CASCADE, CONSTRAINT fk_likes_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE);

CREATE TABLE IF NOT EXISTS me_toos (story_id bigint, user_id bigint, created_at timestamptz, PRIMARY KEY (story_id, user_id), CONSTRAINT fk_me_toos_story FOREIGN KEY (story_id) REFERENCES stories(id) ON DELETE CASCADE, CONSTRAINT fk_me_toos_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE);

CREATE TABLE IF NOT EXISTS reports (id bigserial PRIMARY KEY, user_id bigint NOT NULL, story_id bigint NOT NULL, comment_id bigint NOT NULL DEFAULT 0, reason text NOT NULL, status text NOT NULL DEFAULT 'open', created_at timestamptz, resolved_at timestamptz, resolved_by bigint, CONSTRAINT fk_reports_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE, CONSTRAINT fk_reports_story FOREIGN KEY (story_id) REFERENCES stories(id));

CREATE TABLE IF NOT EXISTS revisions (id bigserial PRIMARY KEY, story_id bigint NOT NULL, editor_id bigint NOT NULL, created_at timestamptz, title text NOT NULL, slug text NOT NULL, body text NOT NULL, company_id bigint, city text, status text NOT NULL, resolution text NOT NULL, categories text, tags text, CONSTRAINT fk_revisions_editor FOREIGN KEY (editor_id) REFERENCES users(id));

CREATE TABLE IF NOT EXISTS slug_redirects (id bigserial PRIMARY KEY, old_slug text NOT NULL, story_id bigint NOT NULL);

CREATE TABLE IF NOT EXISTS story_updates (id bigserial PRIMARY KEY, story_id bigint NOT NULL, author_id bigint NOT NULL, body text NOT NULL, html text NOT NULL, resolution text NOT NULL DEFAULT '', created_at timestamptz, CONSTRAINT fk_stories_updates FOREIGN KEY (story_id) REFERENCES stories(id));

CREATE TABLE IF NOT EXISTS company_redirects (id bigserial PRIMARY KEY, old_slug text NOT NULL, old_key text NOT NULL, company_id bigint NOT NULL);

CREATE TABLE IF NOT EXISTS site_keys (name text, key bytea NOT NULL, PRIMARY KEY (name));

CREATE INDEX IF NOT EXISTS idx_users_email ON users(email);

CREATE UNIQUE INDEX IF NOT EXISTS idx_users_handle ON users(handle);

CREATE UNIQUE INDEX IF NOT EXISTS idx_categories_slug ON categories(slug);

CREATE UNIQUE INDEX IF NOT EXISTS idx_tags_slug ON tags(slug);

CREATE UNIQUE INDEX IF NOT EXISTS idx_companies_key ON companies(key);

CREATE UNIQUE INDEX IF NOT EXISTS idx_companies_slug ON companies(slug);

CREATE INDEX IF NOT EXISTS idx_stories_status_published ON stories(status, published_at);

CREATE INDEX IF NOT EXISTS idx_stories_company_metoo ON stories(company_id, status, me_too_count, published_at);

CREATE INDEX IF NOT EXISTS idx_stories_company ON stories(company_id, published_at);

CREATE INDEX IF NOT EXISTS idx_stories_author ON stories(author_id, published_at);

CREATE UNIQUE INDEX IF NOT EXISTS idx_stories_slug ON stories(slug);

CREATE INDEX IF NOT EXISTS idx_story_tags_tag_id ON story_tags(tag_id);

CREATE INDEX IF NOT EXISTS idx_story_categories_category_id ON story_categories(category_id);

CREATE INDEX IF NOT EXISTS idx_comments_ip ON comments(ip);

CREATE INDEX IF NOT EXISTS idx_comments_status_created ON comments(status, created_at);

CREATE INDEX IF NOT EXISTS idx_comments_author_email ON comments(author_email);

CREATE INDEX IF NOT EXISTS idx_comments_user_id ON comments(user_id);

CREATE INDEX IF NOT EXISTS idx_comments_parent_id ON comments(parent_id);

CREATE INDEX IF NOT EXISTS idx_comments_story ON comments(story_id, status, created_at);

CREATE UNIQUE INDEX IF NOT EXISTS idx_identities_provider_user ON identities(provider, provider_user_id);

CREATE INDEX IF NOT EXISTS idx_identities_user_id ON identities(user_id);

CREATE INDEX IF NOT EXISTS idx_sessions_expires_at ON sessions(expires_at);

CREATE INDEX IF NOT EXISTS idx_sessions_user_id ON sessions(user_id);

CREATE UNIQUE INDEX IF NOT EXISTS idx_sessions_hash ON sessions(hash);

CREATE INDEX IF NOT EXISTS idx_login_states_expires_at ON login_states(expires_at);

CREATE UNIQUE INDEX IF NOT EXISTS idx_login_states_state_hash ON login_states(state_hash);

CREATE INDEX IF NOT EXISTS idx_one_time_tokens_expires_at ON one_time_tokens(expires_at);

CREATE UNIQUE INDEX IF NOT EXISTS idx_one_time_tokens_hash ON one_time_tokens(hash);

CREATE INDEX IF NOT EXISTS idx_likes_user_id ON likes(user_id);

CREATE INDEX IF NOT EXISTS idx_likes_story_created ON likes(story_id, created_at);

CREATE INDEX IF NOT EXISTS idx_me_toos_user_id ON me_toos(user_id);

CREATE INDEX IF NOT EXISTS idx_reports_resolved_at ON reports(resolved_at);

CREATE INDEX IF NOT EXISTS idx_reports_status_created ON reports(status, created_at);

CREATE UNIQUE INDEX IF NOT EXISTS idx_reports_target ON reports(user_id, story_id, comment_id);

CREATE INDEX IF NOT EXISTS idx_revisions_story ON revisions(story_id, created_at);

CREATE INDEX IF NOT EXISTS idx_slug_redirects_story_id ON slug_redirects(story_id);

CREATE UNIQUE INDEX IF NOT EXISTS idx_slug_redirects_old_slug ON slug_redirects(old_slug);

CREATE INDEX IF NOT EXISTS idx_story_updates_story ON story_updates(story_id, created_at);

CREATE INDEX IF NOT EXISTS idx_company_redirects_company_id ON company_redirects(company_id);

CREATE INDEX IF NOT EXISTS idx_company_redirects_old_key ON company_redirects(old_key);

CREATE UNIQUE INDEX IF NOT EXISTS idx_company_redirects_old_slug ON company_redirects(old_slug);
