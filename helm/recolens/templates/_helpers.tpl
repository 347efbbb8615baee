{{/* Names, labels, image and the pieces shared by the streaming and backfill FlinkDeployments. */}}

{{- define "recolens.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-scoped name; 45 characters leave room for "-backfill" and the operator's "-rest"/"-taskmanager-1-1" suffixes. */}}
{{- define "recolens.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 45 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 45 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 45 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "recolens.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "recolens.selectorLabels" -}}
app.kubernetes.io/name: {{ include "recolens.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "recolens.labels" -}}
helm.sh/chart: {{ include "recolens.chart" . }}
{{ include "recolens.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: recolens
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "recolens.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "recolens.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "recolens.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false: name an existing ServiceAccount with the rights the JobManager needs (docs/deployment.md)" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Where the image's Dockerfile puts the job jar; jarURI of every FlinkDeployment. */}}
{{- define "recolens.jarURI" -}}
local:///opt/flink/usrlib/recolens-job.jar
{{- end -}}

{{- define "recolens.jobPropertiesPath" -}}
/opt/recolens/secrets/job-secrets.properties
{{- end -}}

{{/*
Checks the schema cannot express (cross-field rules, secret-looking option names), failing with the value to fix.
*/}}
{{- define "recolens.validate" -}}
{{- if and .Values.streaming.enabled (eq .Values.streaming.upgradeMode "last-state") (not .Values.highAvailability.enabled) -}}
{{- fail "streaming.upgradeMode last-state needs highAvailability.enabled=true: the operator finds the newest checkpoint through the HA metadata" -}}
{{- end -}}
{{- if and (gt (int .Values.jobManager.replicas) 1) (not .Values.highAvailability.enabled) -}}
{{- fail "jobManager.replicas > 1 needs highAvailability.enabled=true (standby JobManagers elect a leader through Kubernetes HA)" -}}
{{- end -}}
{{- $secretish := "(?i)(password|secret|credential|token|access-key|private-key|jaas)" -}}
{{- range $scope, $opts := dict "job.options" .Values.job.options "streaming.options" .Values.streaming.options "backfill.options" .Values.backfill.options -}}
{{- range $key, $_ := $opts -}}
{{- if regexMatch $secretish $key -}}
{{- fail (printf "%s.%s looks like a secret: values are not secret. Put it in the Secret %q under secrets.jobPropertiesKey (a properties file) or secrets.env" $scope $key $.Values.secrets.existingSecret) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if .Values.backfill.enabled -}}
{{- if or (not .Values.backfill.from) (not .Values.backfill.to) -}}
{{- fail "backfill.enabled needs backfill.from and backfill.to (RFC 3339 UTC, e.g. 2026-11-20T00:00:00Z)" -}}
{{- end -}}
{{- if le (include "recolens.epochMillis" .Values.backfill.to | int64) (include "recolens.epochMillis" .Values.backfill.from | int64) -}}
{{- fail (printf "backfill.to (%s) must be after backfill.from (%s)" .Values.backfill.to .Values.backfill.from) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* RFC 3339 UTC timestamp -> epoch milliseconds, the form kafka.*-offsets timestamp:<ms> takes. */}}
{{- define "recolens.epochMillis" -}}
{{- mul (toDate "2006-01-02T15:04:05Z07:00" .).Unix 1000 -}}
{{- end -}}

{{/*
Job arguments from an ordered list of option maps (later maps win), as "--key" "value" pairs, sorted by key.
Call with (list $mode (list map1 map2 ...)). A properties file from the Secret comes first: flags override it.
*/}}
{{- define "recolens.jobArgs" -}}
{{- $root := index . 0 -}}
{{- $mode := index . 1 -}}
{{- $merged := dict -}}
{{- range (index . 2) -}}
{{- range $k, $v := . -}}
{{- $_ := set $merged $k (toString $v) -}}
{{- end -}}
{{- end -}}
{{- if $root.Values.secrets.jobPropertiesKey }}
- "--config"
- {{ include "recolens.jobPropertiesPath" $root | quote }}
{{- end }}
- "--mode"
- {{ $mode | quote }}
{{- range $k := keys $merged | sortAlpha }}
- {{ printf "--%s" $k | quote }}
- {{ get $merged $k | quote }}
{{- end }}
{{- end -}}

{{/* flinkConfiguration entries both FlinkDeployments share: metrics, slots, scratch dirs, then flink.configuration. */}}
{{- define "recolens.commonFlinkConfiguration" -}}
taskmanager.numberOfTaskSlots: {{ .Values.taskManager.slots | quote }}
io.tmp.dirs: "/tmp"
{{- if .Values.metrics.enabled }}
metrics.reporter.prom.factory.class: "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"
metrics.reporter.prom.port: {{ .Values.metrics.port | quote }}
{{- end }}
{{- end -}}

{{/*
spec.podTemplate shared by JobManager and TaskManagers: security, scratch volumes, secrets as env, metrics port.
The container must be named flink-main-container for the operator to merge it.
*/}}
{{- define "recolens.podTemplate" -}}
apiVersion: v1
kind: Pod
metadata:
  labels:
    {{- include "recolens.labels" . | nindent 4 }}
    {{- with .Values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .Values.podAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  securityContext:
    {{- toYaml .Values.podSecurityContext | nindent 4 }}
  {{- with .Values.image.pullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . | quote }}
    {{- end }}
  {{- end }}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: flink-main-container
      securityContext:
        {{- toYaml .Values.containerSecurityContext | nindent 8 }}
      env:
        - name: RECOLENS_UNIT_KEY_SECRET
          valueFrom:
            secretKeyRef:
              name: {{ .Values.secrets.existingSecret | quote }}
              key: {{ .Values.secrets.unitKeySecretKey | quote }}
        {{- range .Values.secrets.env }}
        - name: {{ .name | quote }}
          valueFrom:
            secretKeyRef:
              name: {{ $.Values.secrets.existingSecret | quote }}
              key: {{ .key | quote }}
        {{- end }}
      {{- if .Values.metrics.enabled }}
      ports:
        - name: metrics
          containerPort: {{ .Values.metrics.port }}
          protocol: TCP
      {{- end }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        - name: flink-logs
          mountPath: /opt/flink/log
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: {{ .Values.scratch.tmpSizeLimit | quote }}
    - name: flink-logs
      emptyDir:
        sizeLimit: {{ .Values.scratch.logSizeLimit | quote }}
{{- end -}}

{{/* jobManager.podTemplate: the secret job properties file, mounted only where main() reads it. */}}
{{- define "recolens.jobManagerPodTemplate" -}}
{{- if .Values.secrets.jobPropertiesKey -}}
apiVersion: v1
kind: Pod
spec:
  containers:
    - name: flink-main-container
      volumeMounts:
        - name: job-secrets
          mountPath: /opt/recolens/secrets
          readOnly: true
  volumes:
    - name: job-secrets
      secret:
        secretName: {{ .Values.secrets.existingSecret | quote }}
        defaultMode: 288
        items:
          - key: {{ .Values.secrets.jobPropertiesKey | quote }}
            path: job-secrets.properties
{{- end -}}
{{- end -}}
