-- Daily page views per page and device, from the validated click-stream.
--
-- @description Page views, sessions, known users and average view time per day, page and device
-- @partition event_date
-- @column event_date date: Day of the page views
-- @column page string: Page path
-- @column device string: desktop, mobile, tablet, or unknown when not reported
-- @column views bigint: Page views
-- @column sessions bigint: Distinct sessions
-- @column users bigint: Distinct known users (anonymous views are not counted)
-- @column avg_duration_ms double: Mean view duration where reported
-- @assert not_null page, device, views, sessions
-- @assert unique event_date, page, device
-- @assert accepted_values device in ('desktop', 'mobile', 'tablet', 'unknown')
-- @assert sql sessions_within_views: SELECT page, device, views, sessions FROM {{ this }} WHERE sessions > views
SELECT
  event_date,
  page,
  COALESCE(device, 'unknown') AS device,
  COUNT(*) AS views,
  COUNT(DISTINCT session_id) AS sessions,
  COUNT(DISTINCT user_id) AS users,
  AVG(CAST(duration_ms AS DOUBLE)) AS avg_duration_ms
FROM web_events_clean.page_views
GROUP BY event_date, page, COALESCE(device, 'unknown')
