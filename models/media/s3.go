package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 is a Storage in a bucket of an S3-compatible service (AWS S3, MinIO,
// Garage...), for sites that run several instances.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string // "" or "folder/"
}

// openS3 opens s3://bucket/prefix?endpoint=host:port&region=...&secure=false.
// The keys come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or
// MINIO_ACCESS_KEY and MINIO_SECRET_KEY), never from the URL, so that they
// are not shown in a process list. The bucket must exist; it is checked at
// start-up so that a typo fails at once rather than at the first upload.
func openS3(ctx context.Context, u *url.URL) (*S3, error) {
	q := u.Query()
	endpoint := q.Get("endpoint")
	lookup := minio.BucketLookupPath // MinIO and Garage name buckets in the path
	if endpoint == "" {
		endpoint, lookup = "s3.amazonaws.com", minio.BucketLookupAuto
	}
	secure := true
	if v := q.Get("secure"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("media-url: secure=%q: want true or false", v)
		}
		secure = b
	}
	if u.Host == "" {
		return nil, errors.New("media-url: s3://BUCKET/prefix: the bucket is missing")
	}
	creds := credentials.NewChainCredentials([]credentials.Provider{&credentials.EnvAWS{}, &credentials.EnvMinio{}})
	client, err := minio.New(endpoint, &minio.Options{Creds: creds, Secure: secure, Region: q.Get("region"), BucketLookup: lookup})
	if err != nil {
		return nil, fmt.Errorf("media-url: %w", err)
	}
	s := &S3{client: client, bucket: u.Host, prefix: strings.Trim(u.Path, "/")}
	if s.prefix != "" {
		s.prefix += "/"
	}
	ok, err := client.BucketExists(ctx, s.bucket)
	if err != nil {
		return nil, fmt.Errorf("media-url: bucket %s at %s: %w", s.bucket, endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("media-url: no bucket %s at %s", s.bucket, endpoint)
	}
	return s, nil
}

// Put uploads data under key.
func (s *S3) Put(ctx context.Context, key, contentType string, data []byte) error {
	_, err := s.client.PutObject(ctx, s.bucket, s.prefix+key, bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{ContentType: contentType, CacheControl: "public, max-age=31536000, immutable"})
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	return nil
}

// Open downloads the object under key.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, s.prefix+key, minio.GetObjectOptions{})
	if err != nil {
		return nil, Info{}, fmt.Errorf("open %s: %w", key, err)
	}
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		if minio.ToErrorResponse(err).Code == "NoSuchKey" {
			return nil, Info{}, ErrNotFound
		}
		return nil, Info{}, fmt.Errorf("open %s: %w", key, err)
	}
	return obj, Info{Size: st.Size, ModTime: st.LastModified}, nil
}

// Delete removes the object under key.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := s.client.RemoveObject(ctx, s.bucket, s.prefix+key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	return nil
}

// Copy writes every picture file under the prefix to dst.
func (s *S3) Copy(ctx context.Context, dst Storage) (int, error) {
	n := 0
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if obj.Err != nil {
			return n, fmt.Errorf("list %s: %w", s.bucket, obj.Err)
		}
		key := strings.TrimPrefix(obj.Key, s.prefix)
		if !ValidKey(key) {
			continue
		}
		if err := s.copyOne(ctx, key, dst); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (s *S3) copyOne(ctx context.Context, key string, dst Storage) error {
	r, _, err := s.Open(ctx, key)
	if err != nil {
		return err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read %s: %w", path.Join(s.bucket, key), err)
	}
	return dst.Put(ctx, key, TypeOf(key), data)
}
