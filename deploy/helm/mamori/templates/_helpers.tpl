{{- define "mamori.labels" -}}
app.kubernetes.io/name: mamori
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "name" "auth"). */}}
{{- define "mamori.selector" -}}
app.kubernetes.io/name: mamori
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* Every pod of the release, whatever its component. */}}
{{- define "mamori.releaseSelector" -}}
app.kubernetes.io/name: mamori
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "mamori.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "mamori.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default .Release.Name .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The image of one component, by digest when one is set: (dict "root" $ "name" "auth"). */}}
{{- define "mamori.image" -}}
{{- $img := .root.Values.image -}}
{{- $digest := get ($img.digests | default dict) .name -}}
{{- if $digest -}}
{{- printf "%s/%s@%s" $img.registry .name $digest -}}
{{- else -}}
{{- printf "%s/%s:%s" $img.registry .name $img.tag -}}
{{- end -}}
{{- end -}}

{{/*
Rolls the pods when a setting or a secret changes: the ConfigMap's content, and the Secret's as the
cluster holds it at install/upgrade (lookup; empty under `helm template`), plus a token to bump.
*/}}
{{- define "mamori.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- $secret := lookup "v1" "Secret" .Release.Namespace .Values.secrets.existingSecret }}
checksum/secret: {{ printf "%s-%s" (($secret).data | default dict | toJson) .Values.secrets.rolloutToken | sha256sum }}
{{- end -}}

{{/* Peers of a NetworkPolicy rule; nothing (any) when the list is empty. */}}
{{- define "mamori.peers" -}}
{{- if .peers }}
{{ .key }}:
  {{- toYaml .peers | nindent 2 }}
{{- end }}
{{- end -}}

{{/*
The attachment store's settings for the gateway and the case service (both must see one store).
S3 keys come from the Secret when it holds them; without them the SDK uses the pod's identity.
*/}}
{{- define "mamori.attachmentEnv" -}}
{{- $a := .Values.attachments -}}
- { name: ATTACHMENT_STORE, value: {{ $a.store | quote }} }
- { name: ATTACHMENT_MAX_BYTES, value: {{ $a.maxBytes | int64 | quote }} }
- { name: ATTACHMENT_ORPHAN_GRACE_SECONDS, value: {{ $a.orphanGraceSeconds | quote }} }
{{- if eq $a.store "s3" }}
- { name: ATTACHMENT_S3_REGION, value: {{ $a.s3.region | quote }} }
- { name: ATTACHMENT_S3_BUCKET, value: {{ $a.s3.bucket | quote }} }
- { name: ATTACHMENT_S3_FORCE_PATH_STYLE, value: {{ $a.s3.forcePathStyle | default false | toString | quote }} }
{{- with $a.s3.endpoint }}
- { name: ATTACHMENT_S3_ENDPOINT, value: {{ . | quote }} }
{{- end }}
{{- range list "ATTACHMENT_S3_ACCESS_KEY_ID" "ATTACHMENT_S3_SECRET_ACCESS_KEY" }}
- name: {{ . }}
  valueFrom:
    secretKeyRef: { name: {{ $.Values.secrets.existingSecret }}, key: {{ . }}, optional: true }
{{- end }}
{{- else }}
- { name: ATTACHMENT_DIR, value: /var/lib/mamori/attachments }
{{- end }}
{{- end }}
