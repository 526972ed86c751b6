{{- define "kompact.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kompact.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "kompact.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "kompact.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "kompact.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "kompact.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "kompact.controllerSelector" -}}
app.kubernetes.io/name: {{ include "kompact.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end }}

{{- define "kompact.agentSelector" -}}
app.kubernetes.io/name: {{ include "kompact.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: agent
{{- end }}

{{- define "kompact.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "kompact.agentImage" -}}
{{- printf "%s:%s" (default .Values.image.repository .Values.agent.image.repository) (default (default .Chart.AppVersion .Values.image.tag) .Values.agent.image.tag) }}
{{- end }}

{{/* true when the switch says so, or when it says auto and the API is served */}}
{{- define "kompact.wanted" -}}
{{- $switch := index . 0 }}{{- $api := index . 1 }}{{- $caps := index . 2 }}
{{- if eq (toString $switch) "true" }}true{{ else if and (eq (toString $switch) "auto") ($caps.APIVersions.Has $api) }}true{{ end }}
{{- end }}

{{/* the agents' and controller's certificates when live migration is on: cert-manager or builtin; empty when off */}}
{{- define "kompact.certificates" -}}
{{- if .Values.liveMigration.enabled }}
{{- if eq .Values.certificates.mode "builtin" }}builtin
{{- else if or (eq .Values.certificates.mode "cert-manager") (.Capabilities.APIVersions.Has "cert-manager.io/v1") }}cert-manager
{{- else }}builtin
{{- end }}
{{- end }}
{{- end }}

{{- define "kompact.validate" -}}
{{- if .Values.ec2.enabled }}
{{- range $key := list "clusterName" "region" "launchTemplate" }}
{{- if not (index $.Values.ec2 $key) }}
{{- fail (printf "ec2.enabled needs ec2.%s: set it with --set ec2.%s=..." $key $key) }}
{{- end }}
{{- end }}
{{- if not .Values.ec2.subnets }}
{{- fail "ec2.enabled needs at least one of ec2.subnets: --set 'ec2.subnets[0].zone=us-east-1a,ec2.subnets[0].subnet=subnet-0abc'" }}
{{- end }}
{{- else if .Values.ec2.interruptionQueue }}
{{- fail "ec2.interruptionQueue needs ec2.enabled=true" }}
{{- end }}
{{- if and .Values.liveMigration.enabled (eq .Values.liveMigration.podNetwork "vpc-cni") (not .Values.ec2.enabled) }}
{{- fail "liveMigration.podNetwork=vpc-cni needs ec2.enabled=true: the controller moves pod addresses through EC2" }}
{{- end }}
{{- if and (eq .Values.policy.mode "Auto") (not .Values.ec2.enabled) }}
{{- fail "policy.mode=Auto needs ec2.enabled=true: without a cloud provider the controller can only report plans" }}
{{- end }}
{{- end }}

{{/* The nodes the agents run on, and so the only nodes a live move's target pod may go to. */}}
{{- define "kompact.agentNodeSelector" -}}
kubernetes.io/os: linux
{{ toYaml .Values.agent.nodeSelector }}
{{- end }}
