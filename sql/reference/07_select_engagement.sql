-- Impressions and attributed clicks per experiment and variant (clicks within the attribution window).
SELECT i.experiment, i.`variant`, COUNT(DISTINCT i.impression_id) AS impressions, COUNT(uc.click_id) AS clicks
FROM impression_variants i
LEFT JOIN unique_clicks uc
  ON uc.impression_id = i.impression_id
 AND uc.clicked_at BETWEEN i.served_at AND i.served_at + INTERVAL '${attribution_window_minutes}' MINUTE
GROUP BY i.experiment, i.`variant`
