module qrapp.dev/sdk/go

go 1.23

require (
)
